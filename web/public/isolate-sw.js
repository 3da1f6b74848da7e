// The lab's fallback for static hosts that cannot set headers (GitHub Pages and the like): this service worker
// answers the page's requests with the cross-origin isolation headers (COOP/COEP) added, so that the page, after
// one reload, is cross-origin isolated and its WebAssembly kernels get shared memory. A host that sets the headers
// itself (web/public/_headers) never needs it: the page registers it only when it is not isolated.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  // A request the worker may not replay (a cross-origin "only-if-cached" one) is left to the browser.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then((response) => {
    if (response.status === 0) return response; // opaque: its headers cannot be changed
    const headers = new Headers(response.headers);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }));
});

/**
 * Cross-origin isolation where the host cannot set headers: the page registers isolate-sw.js (which adds COOP/COEP
 * to every response) and reloads once, now under its control. Resolves true when a reload is on its way (the
 * caller starts nothing); false when the page is isolated, or cannot be (then the lab falls back to the
 * TypeScript backend and says why).
 */
const RELOADED = 'edlearn-isolate-reloaded';

export async function isolateOrReload(): Promise<boolean> {
  if (globalThis.crossOriginIsolated || !('serviceWorker' in navigator) || !window.isSecureContext) return false;
  try {
    const registration = await navigator.serviceWorker.register(new URL('isolate-sw.js', location.href), {
      scope: './',
    });
    // Reload once: if the page is still not isolated under the worker, this browser will not isolate it.
    if (sessionStorage.getItem(RELOADED)) return false;
    if (!registration.active) {
      await new Promise<void>((resolve) => {
        const worker = registration.installing ?? registration.waiting;
        if (!worker) return resolve();
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
        });
      });
    }
    sessionStorage.setItem(RELOADED, '1');
    location.reload();
    return true;
  } catch {
    return false;
  }
}

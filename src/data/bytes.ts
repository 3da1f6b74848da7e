/** Byte arrays one after another in a new array (PNG chunks, protobuf fields, test inputs). */
export function concatBytes(...groups: (Uint8Array | Uint8Array[])[]): Uint8Array {
  const parts = groups.flat();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

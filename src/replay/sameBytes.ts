/** Whether two arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // Equal files and pages are read to their end: four bytes at a time, through typed arrays where
  // both start on a word boundary (a fresh export does), else through DataViews (a page of an
  // export after its settings header): byte by byte, that was 2.5 times slower.
  const n = a.length >> 2;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, n);
    const wb = new Uint32Array(b.buffer, b.byteOffset, n);
    for (let k = 0; k < n; k++) if (wa[k] !== wb[k]) return false;
  } else {
    const va = new DataView(a.buffer, a.byteOffset, a.byteLength);
    const vb = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let k = 0; k < n << 2; k += 4) if (va.getInt32(k, true) !== vb.getInt32(k, true)) return false;
  }
  for (let i = n << 2; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

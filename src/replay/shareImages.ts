import type { ClusterCheckpoint } from '../cluster/cluster';
import type { ServerCheckpoint } from '../cluster/server';
import { sameSaved, type ContentHashState } from '../db/contentCache';
import type { DatabaseImage } from '../db/database';
import type { EntryTable } from './entryTable';

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // Equal images are read to their end, nine a checkpoint on a 9-node run: four bytes at a time
  // where both start on a word boundary (a fresh export does), the rest one by one.
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, n);
    const wb = new Uint32Array(b.buffer, b.byteOffset, n);
    for (let k = 0; k < n; k++) if (wa[k] !== wb[k]) return false;
    i = n << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameContent(a: ContentHashState | null, b: ContentHashState | null): boolean {
  return a === null || b === null ? a === b : sameSaved(a, b);
}

/** The same writes pending on the same file (each node keeps its own list: equal lists are rare). */
function samePending(a: DatabaseImage['pending'], b: DatabaseImage['pending']): boolean {
  return a === null || b === null ? a === b : a.commands === b.commands && a.count === b.count;
}

/**
 * Nodes that applied the same entries usually hold byte-identical files, and equal caches of their
 * content hash: keep one copy of each distinct image (one image object where the cache is equal
 * too), and the logs as runs of the run's table of entries. Returns the checkpoint so shared and
 * the distinct files its images hold. `twins` remembers which bytes were kept for a node's own: a node
 * gives the same export again at later checkpoints, unchanged or with writes pending (NodeDatabase.image),
 * and those then hold the copy kept the first time, not the node's.
 */
export function shareImages(
  cp: ClusterCheckpoint,
  entries: EntryTable,
  twins = new WeakMap<Uint8Array, Uint8Array>(),
): { cluster: ClusterCheckpoint; images: Uint8Array[]; exported: number } {
  const images: DatabaseImage[] = [];
  const arrays: Uint8Array[] = [];
  let exported = 0;
  const servers = entries.share(cp.servers).map(([id, s]): [string, ServerCheckpoint] => {
    const own = s.db;
    if (!own) return [id, s];
    exported += own.bytes.length;
    const kept = twins.get(own.bytes);
    const img = kept ? { ...own, bytes: kept } : own;
    const twin = images.find((d) => sameBytes(d.bytes, img.bytes));
    if (!twin) {
      images.push(img);
      arrays.push(img.bytes);
      return [id, img === own ? s : { ...s, db: img }];
    }
    if (twin.bytes !== own.bytes) twins.set(own.bytes, twin.bytes);
    const whole = images.find(
      (d) => d.bytes === twin.bytes && d.largeRowids === img.largeRowids && samePending(d.pending, img.pending) && sameContent(d.content, img.content),
    );
    if (whole) return [id, { ...s, db: whole }];
    const shared: DatabaseImage = { ...img, bytes: twin.bytes };
    images.push(shared);
    return [id, { ...s, db: shared }];
  });
  return { cluster: { ...cp, servers }, images: arrays, exported };
}

import type { ClusterCheckpoint } from '../cluster/cluster';
import type { ServerCheckpoint } from '../cluster/server';
import { sameSaved, type ContentHashState } from '../db/contentCache';
import type { DatabaseImage } from '../db/database';
import type { FileBytes } from '../db/fileBytes';
import type { EntryTable } from './entryTable';
import { sameFile, type PageTable } from './pagedFiles';

export { sameBytes } from './sameBytes';

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
 * the distinct files its images hold. `twins` remembers what was kept for a node's own bytes: a node
 * gives the same export again at later checkpoints, unchanged or with writes pending (NodeDatabase.image),
 * and those then hold what was kept the first time, not the node's. With `pages`, a file is kept as
 * pages shared with the files kept before it (pagedFiles.ts), not as the node's array.
 */
export function shareImages(
  cp: ClusterCheckpoint,
  entries: EntryTable,
  twins = new WeakMap<object, FileBytes>(),
  pages?: PageTable,
): { cluster: ClusterCheckpoint; images: FileBytes[]; exported: number } {
  const images: DatabaseImage[] = [];
  const files: FileBytes[] = [];
  let exported = 0;
  const servers = entries.share(cp.servers).map(([id, s]): [string, ServerCheckpoint] => {
    const own = s.db;
    if (!own) return [id, s];
    exported += own.bytes.length;
    let file = twins.get(own.bytes);
    if (!file) {
      file = pages && own.bytes instanceof Uint8Array ? pages.keep(own.bytes) : own.bytes;
      twins.set(own.bytes, file);
    }
    const twin = images.find((d) => sameFile(d.bytes, file));
    if (!twin) files.push(file);
    else if (twin.bytes !== file) twins.set(own.bytes, twin.bytes);
    const bytes = twin ? twin.bytes : file;
    const whole = images.find(
      (d) => d.bytes === bytes && d.largeRowids === own.largeRowids && samePending(d.pending, own.pending) && sameContent(d.content, own.content),
    );
    if (whole) return [id, { ...s, db: whole }];
    const img: DatabaseImage = bytes === own.bytes ? own : { ...own, bytes };
    images.push(img);
    return [id, img === own ? s : { ...s, db: img }];
  });
  return { cluster: { ...cp, servers }, images: files, exported };
}

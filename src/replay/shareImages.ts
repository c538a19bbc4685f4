import type { ClusterCheckpoint } from '../cluster/cluster';
import type { ServerCheckpoint } from '../cluster/server';
import { sameSaved, type ContentHashState } from '../db/contentCache';
import type { DatabaseImage } from '../db/database';
import type { FileBytes } from '../db/fileBytes';
import type { Snapshot } from '../raft/types';
import type { EntryTable } from './entryTable';
import { PageTable, sameFile } from './pagedFiles';
import { PagedSnapshot, withSnapshot } from './pagedSnapshot';

export { sameBytes } from './sameBytes';

function sameContent(a: ContentHashState | null, b: ContentHashState | null): boolean {
  return a === null || b === null ? a === b : sameSaved(a, b);
}

/** The same writes pending on the same file (each node keeps its own list: equal lists are rare). */
function samePending(a: DatabaseImage['pending'], b: DatabaseImage['pending']): boolean {
  return a === null || b === null ? a === b : a.commands === b.commands && a.count === b.count;
}

/** What the checkpoints of a run keep their files in, and what they kept for a node's own. */
export interface Keeper {
  readonly pages: PageTable;
  /** A node's exported bytes, and the file kept for them. */
  readonly twins: WeakMap<object, FileBytes>;
  /** A node's Raft snapshot, and the snapshot kept for it. */
  readonly snapshots: WeakMap<Snapshot, PagedSnapshot>;
}

/** A keeper for a run's checkpoints (a fork's starts empty and holds what it inherits again). */
export const newKeeper = (): Keeper => ({ pages: new PageTable(), twins: new WeakMap(), snapshots: new WeakMap() });

/** The snapshot a checkpoint keeps for `snap`: its file as pages (pagedSnapshot.ts). */
function keepSnapshot(snap: Snapshot, keeper: Keeper): Snapshot {
  if (snap instanceof PagedSnapshot) return snap.kept;
  if (snap.data.length === 0) return snap;
  let kept = keeper.snapshots.get(snap);
  if (!kept) keeper.snapshots.set(snap, (kept = new PagedSnapshot(snap.index, snap.term, snap.config, keeper.pages.keep(snap.data))));
  return kept;
}

/**
 * Nodes that applied the same entries usually hold byte-identical files, and equal caches of their
 * content hash: keep one copy of each distinct image (one image object where the cache is equal
 * too), and the logs as runs of the run's table of entries. Returns the checkpoint so shared and
 * the distinct files its images hold. `twins` remembers what was kept for a node's own bytes: a node
 * gives the same export again at later checkpoints, unchanged or with writes pending (NodeDatabase.image),
 * and those then hold what was kept the first time, not the node's. A file (and a Raft snapshot's)
 * is kept as pages shared with the files kept before it (pagedFiles.ts), not as the node's array.
 */
export function shareImages(
  cp: ClusterCheckpoint,
  entries: EntryTable,
  keeper: Keeper,
): { cluster: ClusterCheckpoint; images: FileBytes[]; exported: number } {
  const images: DatabaseImage[] = [];
  const files: FileBytes[] = [];
  let exported = 0;
  const twins = keeper.twins;
  const servers = entries.share(cp.servers).map(([id, shared]): [string, ServerCheckpoint] => {
    const snap = keepSnapshot(shared.proc.storage.snapshot, keeper);
    if (snap instanceof PagedSnapshot && !files.includes(snap.file)) files.push(snap.file);
    const s = withSnapshot(shared, snap);
    const own = s.db;
    if (!own) return [id, s];
    exported += own.bytes.length;
    let file = twins.get(own.bytes);
    if (!file) {
      file = own.bytes instanceof Uint8Array ? keeper.pages.keep(own.bytes) : own.bytes;
      twins.set(own.bytes, file);
    }
    const twin = images.find((d) => sameFile(d.bytes, file));
    if (!twin) {
      if (!files.includes(file)) files.push(file);
    } else if (twin.bytes !== file) twins.set(own.bytes, twin.bytes);
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

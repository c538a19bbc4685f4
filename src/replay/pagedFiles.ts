import type { FileBytes, KeptFile } from '../db/fileBytes';
import { settingsLength } from '../db/settings';
import { sameBytes } from './sameBytes';

/**
 * The database files a run's checkpoints keep, as pages shared between files. A node's exports
 * a few seconds apart differ in the few pages its writes touched, and the nodes' files in the pages
 * of the writes one applied and the other not yet: kept whole, the checkpoints of a 9-node run
 * taking 10 writes a second held 91.7 MB of files at minute 25 (and, past their bound of
 * MAX_CHECKPOINT_BYTES, were spaced 16 s apart by minute 30) where their distinct 4 KB pages were
 * 6.2 MB.
 */

/** A file's chunks: its settings' header, then its SQLite pages (settings.ts, sqlite.org/fileformat.html). */
export class PagedFile implements KeptFile {
  constructor(
    readonly chunks: readonly Uint8Array[],
    readonly length: number,
  ) {}

  read(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** The SQLite page size a file declares (bytes 16–17 of its header, 1 meaning 65,536), or 4,096 when it is not one. */
function pageSize(file: Uint8Array, at: number): number {
  if (file.length < at + 100) return 4096;
  const n = (file[at + 16] << 8) | file[at + 17];
  const size = n === 1 ? 65536 : n;
  return size >= 512 && (size & (size - 1)) === 0 ? size : 4096;
}

/**
 * FNV-1a over the chunk's bytes four at a time (a word made of them, wherever the chunk starts):
 * finds the candidates, which are then compared whole.
 */
function hashOf(b: Uint8Array): number {
  let h = 0x811c9dc5 ^ b.length;
  const n = b.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x01000193);
  for (; i < n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/** Each kept chunk's hash: a fact of its bytes, whichever table holds it (a fork's holds its parent's). */
const hashes = new WeakMap<Uint8Array, number>();

const chunksOf = (file: FileBytes): readonly Uint8Array[] => (file instanceof PagedFile ? file.chunks : file instanceof Uint8Array ? [file] : []);

/**
 * The chunks held by the files of one run's checkpoints, each counted once however many files
 * hold it: `keep` makes a file of chunks found equal to held ones where it can, `hold` counts a
 * file in or out. A plain array (or any other kept file) is held as one chunk of its own.
 */
export class PageTable {
  /** Held chunks by hash, and those of files kept since the last `settle`: where `keep` looks. */
  private readonly byHash = new Map<number, Uint8Array[]>();
  private readonly count = new Map<Uint8Array, number>();
  /** Chunks `keep` made that no file held yet: dropped by `settle` if none holds them then. */
  private fresh: Uint8Array[] = [];
  /** Bytes of the distinct chunks held. */
  bytes = 0;

  /** `bytes` (an export) as a file whose chunks are those already kept where equal, copies of its own where not. */
  keep(bytes: Uint8Array): PagedFile {
    const head = settingsLength(bytes);
    const size = pageSize(bytes, head);
    const chunks: Uint8Array[] = [];
    if (head > 0) chunks.push(this.intern(bytes.subarray(0, head)));
    // Read in place: a copy of a 2 MB export (to put its pages on word boundaries) cost more than
    // hashing and comparing them where they are.
    for (let at = head; at < bytes.length; at += size) chunks.push(this.intern(bytes.subarray(at, Math.min(at + size, bytes.length))));
    return new PagedFile(chunks, bytes.length);
  }

  /** Count `file` as held once more, or (-1) once less: a chunk no file holds is let go. */
  hold(file: FileBytes, by: 1 | -1): void {
    for (const c of chunksOf(file)) {
      const n = (this.count.get(c) ?? 0) + by;
      if (n > 0) this.count.set(c, n);
      else this.count.delete(c);
      if (n === 1 && by > 0) {
        this.bytes += c.length;
        const h = hashes.get(c);
        if (h !== undefined) this.index(h, c);
      } else if (n === 0) {
        this.bytes -= c.length;
        this.unindex(c);
      }
    }
  }

  /** Forget the chunks kept since the last call that no file holds (a file kept and never held). */
  settle(): void {
    for (const c of this.fresh) if (!this.count.has(c)) this.unindex(c);
    this.fresh = [];
  }

  /** How many distinct chunks are held. */
  get chunks(): number {
    return this.count.size;
  }

  private intern(part: Uint8Array): Uint8Array {
    const h = hashOf(part);
    for (const c of this.byHash.get(h) ?? []) if (sameBytes(c, part)) return c;
    const own = part.slice();
    hashes.set(own, h);
    this.index(h, own);
    this.fresh.push(own);
    return own;
  }

  private index(h: number, c: Uint8Array): void {
    const list = this.byHash.get(h);
    if (!list) this.byHash.set(h, [c]);
    else if (!list.includes(c)) list.push(c);
  }

  private unindex(c: Uint8Array): void {
    const h = hashes.get(c);
    const list = h === undefined ? undefined : this.byHash.get(h);
    if (!list || h === undefined) return;
    const k = list.indexOf(c);
    if (k >= 0) list.splice(k, 1);
    if (list.length === 0) this.byHash.delete(h);
  }
}

/** Whether two kept files hold the same bytes: chunk by chunk for paged files (equal chunks of one table are one array). */
export function sameFile(a: FileBytes, b: FileBytes): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return sameBytes(a, b);
  if (!(a instanceof PagedFile && b instanceof PagedFile) || a.length !== b.length || a.chunks.length !== b.chunks.length) return false;
  for (let i = 0; i < a.chunks.length; i++) if (a.chunks[i] !== b.chunks[i] && !sameBytes(a.chunks[i], b.chunks[i])) return false;
  return true;
}

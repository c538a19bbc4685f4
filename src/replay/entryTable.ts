import type { ServerCheckpoint } from '../cluster/server';
import type { Entry } from '../raft/types';

/**
 * The log entries of one run's checkpoints, one table for all of them: nodes' logs mostly hold the
 * same entry objects at the same indexes, and each checkpoint's logs mostly hold the previous one's.
 * Each node's log is kept as a run of the table (DiskImage: table, start, length). The table only
 * grows at its end; an older checkpoint reads only its own run, which is never written again. When
 * more than half of it lies below every log now held, later checkpoints start a new one, so a table
 * holds at most about twice what the latest checkpoint needs.
 */
export class EntryTable {
  private table: Entry[] = [];
  /** The index of table[0]'s entry. */
  private base = 1;

  /** `servers` with their logs as runs of the shared table; a node whose log disagrees with it keeps its own. */
  share(servers: readonly (readonly [string, ServerCheckpoint])[]): [string, ServerCheckpoint][] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, s] of servers) {
      const d = s.proc.storage;
      if (d.length === 0) continue;
      lo = Math.min(lo, d.snapshot.index + 1);
      hi = Math.max(hi, d.snapshot.index + d.length);
    }
    if (lo > hi) return servers.map(([id, s]) => [id, s]);
    if (lo < this.base || lo - this.base > hi - lo + 1) this.restart(lo);
    const shared = this.tryShare(servers);
    if (shared) return shared;
    // Some log rewrote an index the table holds (a new leader overwrote uncommitted entries): a
    // new table from here, shared by the logs that agree with each other.
    this.restart(lo);
    return servers.map(([id, s]) => [id, this.run(s) ?? s]);
  }

  /** Every server's log as a run of the table, or null if one disagrees with it. */
  private tryShare(servers: readonly (readonly [string, ServerCheckpoint])[]): [string, ServerCheckpoint][] | null {
    const out: [string, ServerCheckpoint][] = [];
    for (const [id, s] of servers) {
      const shared = this.run(s);
      if (!shared) return null;
      out.push([id, shared]);
    }
    return out;
  }

  /** `s` with its log as a run of the table (filling what the table lacks), or null where they disagree. */
  private run(s: ServerCheckpoint): ServerCheckpoint | null {
    const d = s.proc.storage;
    if (d.length === 0) return s;
    const first = d.snapshot.index + 1 - this.base;
    const table = this.table;
    for (let k = 0; k < d.length; k++) {
      const e = d.table[d.start + k];
      const had = table[first + k];
      if (had === undefined) table[first + k] = e;
      else if (had !== e) return null;
    }
    return { ...s, proc: { ...s.proc, storage: { ...d, table, start: first } } };
  }

  private restart(base: number): void {
    this.table = [];
    this.base = base;
  }

  /** Forget the table (the checkpoints that read it are dropped). */
  reset(): void {
    this.restart(1);
  }
}

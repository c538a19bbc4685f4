import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerCheckpoint } from '../../src/cluster/server';
import type { Entry } from '../../src/raft/types';
import { EntryTable } from '../../src/replay/entryTable';

const config = { voters: ['n1', 'n2', 'n3'], learners: [] };

/** A server checkpoint whose log is `entries` after a snapshot at `snap` (the fields the table reads, the rest plain). */
function server(snap: number, entries: readonly Entry[]): ServerCheckpoint {
  return {
    proc: {
      incarnation: 1,
      scheduled: { election: Infinity, heartbeat: Infinity },
      storage: { term: 1, votedFor: null, snapshot: { index: snap, term: 1, config, data: new Uint8Array(0) }, table: [...entries], start: 0, length: entries.length },
      raft: null,
    },
    db: null,
    lastRole: 'follower',
    lastTerm: 1,
    bytesSinceSnapshot: 0,
  };
}

const entry = (index: number, term = 1): Entry => ({ index, term, kind: 'command', data: `e${index}.${term}` });

/** The log a shared server checkpoint reads back. */
function logOf(s: ServerCheckpoint): Entry[] {
  const d = s.proc.storage;
  return d.table.slice(d.start, d.start + d.length);
}

/** Node `i` of a cluster whose leader log is `log` (from index `snap` + 1): a prefix of it. */
function cluster(snap: number, log: readonly Entry[], behind: readonly number[]): [string, ServerCheckpoint][] {
  return behind.map((b, i) => [`n${i + 1}`, server(snap, log.slice(0, Math.max(0, log.length - b)))]);
}

describe('the entry table of a run\'s checkpoints', () => {
  it('serves consecutive checkpoints and every node from one table', () => {
    const t = new EntryTable();
    const log = Array.from({ length: 40 }, (_, i) => entry(i + 1));
    const a = t.share(cluster(0, log.slice(0, 30), [0, 2, 5]));
    const b = t.share(cluster(0, log, [0, 1, 0]));
    const tables = new Set([...a, ...b].map(([, s]) => s.proc.storage.table));
    expect(tables.size).toBe(1);
    expect(logOf(a[2][1])).toEqual(log.slice(0, 25));
    expect(logOf(b[1][1])).toEqual(log.slice(0, 39));
  });

  it('starts a new table when a log rewrote an index the table holds, and the older runs still read theirs', () => {
    const t = new EntryTable();
    const old = Array.from({ length: 10 }, (_, i) => entry(i + 1));
    const a = t.share(cluster(0, old, [0, 0, 3]));
    // A new leader in term 2 overwrote indexes 8–10.
    const now = [...old.slice(0, 7), entry(8, 2), entry(9, 2), entry(10, 2), entry(11, 2)];
    const b = t.share(cluster(0, now, [0, 1, 4]));
    expect(b[0][1].proc.storage.table).not.toBe(a[0][1].proc.storage.table);
    expect(new Set(b.map(([, s]) => s.proc.storage.table)).size).toBe(1);
    expect(logOf(a[0][1])).toEqual(old);
    expect(logOf(b[0][1])).toEqual(now);
  });

  it('keeps its own log for a node that disagrees with another at the same index', () => {
    const t = new EntryTable();
    const mine = [entry(1), entry(2), entry(3, 1)];
    const theirs = [entry(1), entry(2), entry(3, 2)];
    mine[0] = theirs[0];
    mine[1] = theirs[1];
    const out = t.share([
      ['n1', server(0, theirs)],
      ['n2', server(0, mine)],
    ]);
    expect(logOf(out[0][1])).toEqual(theirs);
    expect(logOf(out[1][1])).toEqual(mine);
  });

  it('starts afresh once more than half of it lies below every log held', () => {
    const t = new EntryTable();
    const log = Array.from({ length: 100 }, (_, i) => entry(i + 1));
    const a = t.share(cluster(0, log.slice(0, 20), [0, 0]));
    const b = t.share(cluster(30, log.slice(30, 50), [0, 0]));
    expect(b[0][1].proc.storage.table).not.toBe(a[0][1].proc.storage.table);
    expect(b[0][1].proc.storage.table.length).toBe(20);
  });

  it('reads back every node\'s log at every checkpoint, whatever the logs did in between', () => {
    // Each step: compact some, append some, maybe overwrite the tail in a new term, and nodes lag.
    const step = fc.record({ compact: fc.nat(5), append: fc.nat(8), rewrite: fc.nat(4), behind: fc.array(fc.nat(6), { minLength: 1, maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const t = new EntryTable();
        let snap = 0;
        let term = 1;
        let log: Entry[] = [];
        const taken: { shared: [string, ServerCheckpoint][]; logs: Entry[][] }[] = [];
        for (const s of steps) {
          const cut = Math.min(s.compact, log.length);
          snap += cut;
          log = log.slice(cut);
          if (s.rewrite > 0 && s.rewrite <= log.length) {
            term++;
            log = log.slice(0, log.length - s.rewrite);
          }
          for (let k = 0; k < s.append; k++) log.push(entry(snap + log.length + 1, term));
          const servers = cluster(snap, log, s.behind);
          taken.push({ shared: t.share(servers), logs: servers.map(([, sv]) => logOf(sv)) });
        }
        for (const { shared, logs } of taken) expect(shared.map(([, sv]) => logOf(sv))).toEqual(logs);
      }),
    );
  });
});

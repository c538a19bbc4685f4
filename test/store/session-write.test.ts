import { describe, expect, it } from 'vitest';
import { MAX_TIME } from '../../src/replay/runBounds';
import { defaultSimOptions, type Input } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';
import { CHUNK_INPUTS, joinParts, sessionParts } from '../../src/store/sessionChunks';
import { unsavedNotice, writeParts, type KeyStore, type SessionKeys } from '../../src/store/sessionWrite';

const request = (k: number): Input => ({
  frame: 3 * k,
  time: 30 * k,
  action: { kind: 'request', id: k, node: 'n1', body: { op: 'execute', req: { statements: [{ sql: `INSERT INTO t VALUES (${k}, 'value ${k}')` }], transaction: false, queue: false, timeout: 5000 } } },
});
const run = (n: number): RunRecord => {
  const inputs = Array.from({ length: n }, (_, k) => request(k + 1));
  return { options: defaultSimOptions, inputs, frame: 3 * n + 1, time: 30 * n + 10, head: 30 * n + 20 };
};

/** localStorage as a map that refuses a write taking it past `quota` characters (keys and values). */
class FullStorage implements KeyStore {
  readonly items = new Map<string, string>();
  /** A key whose writes are refused whatever the room (storage filled by another tab meanwhile). */
  refuse: string | null = null;
  constructor(public quota: number) {}
  private used(): number {
    let n = 0;
    for (const [k, v] of this.items) n += k.length + v.length;
    return n;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    const before = this.items.get(key);
    this.items.set(key, value);
    if (this.used() > this.quota || key === this.refuse) {
      if (before === undefined) this.items.delete(key);
      else this.items.set(key, before);
      throw new Error('QuotaExceededError');
    }
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const KEYS: SessionKeys = { head: 'run', moment: 'moment', chunk: (k) => `run:${k}` };
const readBack = (s: FullStorage) => joinParts(s.getItem('run')!, (k) => s.getItem(`run:${k}`));

describe('the session written to storage, all or nothing', () => {
  it('writes the chunks that changed and the head, drops chunks past the end and the moment', () => {
    const s = new FullStorage(Infinity);
    const first = sessionParts(run(2 * CHUNK_INPUTS + 10));
    expect(writeParts(s, KEYS, first, [])).toBe(true);
    s.setItem('moment', '{}');
    expect(JSON.parse(readBack(s)!).inputs).toHaveLength(2 * CHUNK_INPUTS + 10);
    // A fork: a shorter run, one chunk.
    const fork = sessionParts(run(CHUNK_INPUTS - 5));
    expect(writeParts(s, KEYS, fork, first.chunks)).toBe(true);
    expect(s.getItem('run:1')).toBeNull();
    expect(s.getItem('run:2')).toBeNull();
    expect(s.getItem('moment')).toBeNull();
    expect(JSON.parse(readBack(s)!).inputs).toHaveLength(CHUNK_INPUTS - 5);
  });

  it('storage full while writing a chunk: everything as it was, and the session as last saved reads back', () => {
    const s = new FullStorage(Infinity);
    const before = sessionParts(run(CHUNK_INPUTS + CHUNK_INPUTS / 5));
    writeParts(s, KEYS, before, []);
    const kept = new Map(s.items);
    const text = readBack(s);
    // Room for the last chunk, now full (and compressed), not for the new one after it.
    const after = sessionParts(run(2 * CHUNK_INPUTS + (4 * CHUNK_INPUTS) / 5));
    s.quota = [...s.items].reduce((n, [k, v]) => n + k.length + v.length, 0) + after.chunks[2].length / 2;
    expect(after.chunks[1].length).toBeLessThan(before.chunks[1].length);
    expect(writeParts(s, KEYS, after, before.chunks)).toBe(false);
    expect(s.items).toEqual(kept);
    expect(readBack(s)).toBe(text);
  });

  it('storage full at the head, after a fork removed chunks: they are put back too', () => {
    const s = new FullStorage(Infinity);
    const before = sessionParts(run(3 * CHUNK_INPUTS));
    writeParts(s, KEYS, before, []);
    const kept = new Map(s.items);
    s.refuse = 'run';
    // The fork's one chunk is the first chunk as stored: only the two after it are removed.
    const fork = sessionParts(run(CHUNK_INPUTS));
    expect(fork.chunks[0]).toBe(before.chunks[0]);
    expect(writeParts(s, KEYS, fork, before.chunks)).toBe(false);
    expect(s.items).toEqual(kept);
  });

  it('says why the session is not saved and what a reload brings back', () => {
    expect(unsavedNotice({ kind: 'full' }, 723_400)).toBe(
      'This browser’s storage is full: the session is no longer saved. A reload brings it back as it was at 12:03.40 of simulated time. “Share / save” → “Export run” keeps all of it.',
    );
    expect(unsavedNotice({ kind: 'past', bound: { bound: 'time', limit: MAX_TIME } }, null)).toBe(
      'This run is longer than a saved session can hold (1 simulated hour): it is no longer saved. A reload will not bring it back. “New cluster…” or acting in the past starts a run that is.',
    );
    expect(unsavedNotice({ kind: 'past', bound: { bound: 'inputs', limit: 200_000 } }, 5_000)).toContain('(200,000 actions and requests)');
    expect(unsavedNotice({ kind: 'past', bound: { bound: 'frames', limit: 20_000_000 } }, 5_000)).toContain('(20,000,000 steps of the simulation)');
  });
});

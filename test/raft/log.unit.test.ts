import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { isMember, isVoter, majority, quorumIndex, sameConfig } from '../../src/raft/quorum';
import type { ClusterConfig, Entry } from '../../src/raft/types';

const cfg: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: [] };
const cfg4: ClusterConfig = { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] };

function log(terms: number[], configAt: Record<number, ClusterConfig> = {}): PersistentState {
  const st = new PersistentState(cfg);
  terms.forEach((term, i) => {
    const index = i + 1;
    const config = configAt[index];
    const e: Entry = config
      ? { index, term, kind: 'config', data: null, config }
      : { index, term, kind: 'command', data: `e${index}` };
    st.append(e);
  });
  return st;
}

const snap = (st: PersistentState) => ({ index: st.snapshot.index, term: st.snapshot.term });

describe('PersistentState: the log and its snapshot (§5.3, §7)', () => {
  it('an empty log starts at index 1 with last index 0 and last term 0', () => {
    const st = new PersistentState(cfg);
    expect(st.firstIndex).toBe(1);
    expect(st.lastIndex).toBe(0);
    expect(st.lastTerm()).toBe(0);
    expect(st.termAt(0)).toBe(0);
    expect(st.termAt(1)).toBe(-1);
  });

  it('termAt answers for the snapshot point, the entries after it, and -1 outside', () => {
    const st = log([1, 1, 2, 3, 3]);
    st.compact(2, new Uint8Array([9]));
    expect(snap(st)).toEqual({ index: 2, term: 1 });
    expect(st.firstIndex).toBe(3);
    expect(st.lastIndex).toBe(5);
    expect(st.termAt(1)).toBe(-1); // compacted away
    expect(st.termAt(2)).toBe(1); // the snapshot's last included entry
    expect(st.termAt(3)).toBe(2);
    expect(st.termAt(5)).toBe(3);
    expect(st.termAt(6)).toBe(-1); // beyond the log
    expect(st.lastTerm()).toBe(3);
  });

  it('after compacting everything the last term is the snapshot term', () => {
    const st = log([1, 2, 2]);
    st.compact(3, new Uint8Array(0));
    expect(st.entries).toEqual([]);
    expect(st.lastIndex).toBe(3);
    expect(st.lastTerm()).toBe(2);
  });

  it('slice returns [from, to) and clamps at the snapshot', () => {
    const st = log([1, 1, 2, 3, 3]);
    expect(st.slice(2, 4).map((e) => e.index)).toEqual([2, 3]);
    expect(st.slice(1, 6).map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
    st.compact(2, new Uint8Array(0));
    expect(st.slice(1, 4).map((e) => e.index)).toEqual([3]);
    expect(st.slice(3, 3)).toEqual([]);
    expect(st.slice(0, 2)).toEqual([]);
  });

  it('truncateFrom deletes the entry at index and all that follow it (§5.3)', () => {
    const st = log([1, 1, 2, 3]);
    st.truncateFrom(3);
    expect(st.entries.map((e) => e.index)).toEqual([1, 2]);
    st.compact(1, new Uint8Array(0));
    st.truncateFrom(2);
    expect(st.lastIndex).toBe(1);
    st.truncateFrom(1); // at or before the snapshot: nothing left to drop, never negative
    expect(st.entries).toEqual([]);
    expect(st.lastIndex).toBe(1);
  });

  it('configAt returns the latest configuration at or before an index, even uncommitted (§4.1)', () => {
    const st = log([1, 1, 1, 1], { 2: cfg4 });
    expect(st.configAt(1)).toBe(cfg);
    expect(st.configAt(2)).toBe(cfg4);
    expect(st.configAt(99)).toBe(cfg4);
    st.compact(3, new Uint8Array(0));
    expect(st.snapshot.config).toBe(cfg4);
    expect(st.configAt(4)).toBe(cfg4);
  });

  it('a configuration entry without a config does not count', () => {
    const st = new PersistentState(cfg);
    st.append({ index: 1, term: 1, kind: 'config', data: null });
    expect(st.configAt(1)).toBe(cfg);
  });

  it('compact keeps the suffix after index, with the snapshot term and config of that point', () => {
    const st = log([1, 2, 2, 3], { 1: cfg4 });
    const data = new Uint8Array([1, 2]);
    st.compact(2, data);
    expect(st.snapshot).toEqual({ index: 2, term: 2, config: cfg4, data });
    expect(st.entries.map((e) => e.index)).toEqual([3, 4]);
    st.compact(3, data);
    expect(st.entries.map((e) => e.index)).toEqual([4]);
  });

  it('compact ignores an index at or before the snapshot, or beyond the log', () => {
    const st = log([1, 1, 1]);
    st.compact(2, new Uint8Array(0));
    const before = st.snapshot;
    st.compact(2, new Uint8Array([1]));
    st.compact(1, new Uint8Array([1]));
    st.compact(4, new Uint8Array([1]));
    expect(st.snapshot).toBe(before);
    expect(st.lastIndex).toBe(3);
    st.compact(3, new Uint8Array([1]));
    expect(st.snapshot.index).toBe(3);
  });

  it('§7 InstallSnapshot: a log entry matching the snapshot keeps the suffix that follows it', () => {
    const st = log([1, 1, 2, 2]);
    st.installSnapshot({ index: 2, term: 1, config: cfg4, data: new Uint8Array(0) });
    expect(st.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(st.lastIndex).toBe(4);
    expect(st.configAt(4)).toBe(cfg4);
  });

  it('§7 InstallSnapshot: otherwise the whole log is discarded', () => {
    const st = log([1, 1, 2, 2]);
    st.installSnapshot({ index: 2, term: 2, config: cfg, data: new Uint8Array(0) });
    expect(st.entries).toEqual([]);
    expect(st.lastIndex).toBe(2);
    const short = log([1]);
    short.installSnapshot({ index: 5, term: 1, config: cfg, data: new Uint8Array(0) });
    expect(short.entries).toEqual([]);
    expect(short.lastIndex).toBe(5);
  });

  it('InstallSnapshot at an index the follower already compacted keeps its entries', () => {
    const st = log([1, 1, 2, 2]);
    st.compact(3, new Uint8Array(0));
    st.installSnapshot({ index: 3, term: 2, config: cfg, data: new Uint8Array(0) });
    expect(st.entries.map((e) => e.index)).toEqual([4]);
  });
});

describe('quorums (§5.2, §5.3)', () => {
  it('a majority is more than half of the voters', () => {
    expect(majority({ voters: ['a'], learners: [] })).toBe(1);
    expect(majority({ voters: ['a', 'b'], learners: [] })).toBe(2);
    expect(majority(cfg)).toBe(2);
    expect(majority(cfg4)).toBe(3);
    expect(majority({ voters: ['a', 'b', 'c', 'd', 'e'], learners: ['f', 'g'] })).toBe(3);
  });

  it('quorumIndex is the highest index a majority of voters has reached', () => {
    const m: Record<string, number> = { n1: 7, n2: 5, n3: 2, n4: 9 };
    expect(quorumIndex(cfg, (id) => m[id])).toBe(5);
    expect(quorumIndex(cfg4, (id) => m[id])).toBe(5);
    expect(quorumIndex({ voters: ['n3', 'n4'], learners: ['n1'] }, (id) => m[id])).toBe(2);
    expect(quorumIndex({ voters: [], learners: [] }, () => 3)).toBe(0);
  });

  it('quorumIndex is the majority-th largest match, whatever the sizes of the calls before', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(50), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 6 }), (calls) => {
        for (const matches of calls) {
          const voters = matches.map((_, i) => `n${i}`);
          const config = { voters, learners: [] };
          const sorted = [...matches].sort((a, b) => b - a);
          expect(quorumIndex(config, (id) => matches[voters.indexOf(id)])).toBe(sorted[majority(config) - 1]);
        }
      }),
    );
  });

  it('voters and learners are members; only voters vote', () => {
    const c: ClusterConfig = { voters: ['a'], learners: ['b'] };
    expect(isVoter(c, 'a')).toBe(true);
    expect(isVoter(c, 'b')).toBe(false);
    expect(isMember(c, 'a')).toBe(true);
    expect(isMember(c, 'b')).toBe(true);
    expect(isMember(c, 'c')).toBe(false);
  });

  it('sameConfig compares voters and learners as sets', () => {
    const a: ClusterConfig = { voters: ['a', 'b'], learners: ['c'] };
    expect(sameConfig(a, { voters: ['b', 'a'], learners: ['c'] })).toBe(true);
    expect(sameConfig(a, { voters: ['a', 'b'], learners: [] })).toBe(false);
    expect(sameConfig(a, { voters: ['a'], learners: ['c'] })).toBe(false);
    expect(sameConfig(a, { voters: ['a', 'd'], learners: ['c'] })).toBe(false);
    expect(sameConfig(a, { voters: ['a', 'b'], learners: ['d'] })).toBe(false);
  });
});

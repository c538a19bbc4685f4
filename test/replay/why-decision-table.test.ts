import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesRole, type Reason, type ReasonCode } from '../../src/raft/reasons';
import { DecisionTable, type DecisionRef } from '../../src/replay/why/decisionTable';
import { ROLE_CODES } from '../../src/replay/why/history';
import { recordScenario } from '../helpers/recorded';

/** A decision as text, the reason's keys in their order: what the table must give back exactly. */
const text = (d: DecisionRef) => JSON.stringify([d.seq, d.node, d.time, d.reason, d.msgId ?? null]);

const nodes = ['n1', 'n2', 'n3', 'n10'];
const n = fc.integer({ min: 0, max: 3000 });
const big = fc.oneof(n, fc.integer(), fc.double(), fc.constant(2 ** 31));
const node = fc.constantFrom(...nodes);
const point = fc.record({ index: n, term: n });
/** Reasons as the Raft core writes them, numbers sometimes past what the columns hold. */
const reason: fc.Arbitrary<Reason> = fc.oneof(
  fc.record({ code: fc.constant('applied' as const), from: big, to: n, commitIndex: n }),
  // One entry applied, the last committed; a commit up to the leader's, the last entry new.
  fc.oneof(n, big).map((i): Reason => ({ code: 'applied', from: i, to: i, commitIndex: i })),
  fc
    .record({ to: fc.oneof(n, big), back: fc.oneof(fc.nat(5), fc.integer({ min: 2 ** 23 - 2, max: 2 ** 24 })), leader: node })
    .map(({ to, back, leader }): Reason => ({ code: 'commit-by-leader', from: to - back, to, leader, leaderCommit: to, lastNew: to })),
  fc.record({
    code: fc.constant('commit-by-leader' as const),
    from: n,
    to: big,
    leader: node,
    leaderCommit: n,
    lastNew: n,
  }),
  fc.record({
    code: fc.constant('proposed' as const),
    index: n,
    term: big,
    kind: fc.constantFrom('noop' as const, 'command' as const, 'config' as const),
  }),
  fc
    .record({
      leader: node,
      term: n,
      prev: point,
      count: fc.nat(4),
      t: n,
      matchIndex: big,
      odd: fc.option(point, { freq: 4 }),
    })
    .map(({ leader, term, prev, count, t, matchIndex, odd }): Reason => {
      const appended = Array.from({ length: count }, (_, i) => ({ index: prev.index + 1 + i, term: t }));
      if (odd && count > 0) appended[count - 1] = odd;
      return { code: 'append-accepted', leader, term, prev, appended, matchIndex };
    }),
  // As a follower takes them by the thousand: all in the leader's term, the match right after them
  // (terms and counts now and then past what the narrowest shape holds).
  fc
    .record({ leader: node, term: fc.oneof(n, fc.integer({ min: 0x7ff0, max: 2 ** 30 })), prevIndex: n, count: fc.oneof(fc.nat(4), fc.integer({ min: 250, max: 300 })) })
    .map(({ leader, term, prevIndex, count }): Reason => {
      const appended = Array.from({ length: count }, (_, i) => ({ index: prevIndex + 1 + i, term }));
      return { code: 'append-accepted', leader, term, prev: { index: prevIndex, term }, appended, matchIndex: prevIndex + count };
    }),
  fc
    .record({
      from: n,
      to: n,
      term: n,
      entryTerm: big,
      voters: fc.uniqueArray(node, { maxLength: 4 }),
      matchIndex: fc.array(big, { minLength: 4, maxLength: 4 }),
      quorum: n,
      swap: fc.boolean(),
    })
    .map(({ from, to, term, entryTerm, voters, matchIndex, quorum, swap }): Reason => {
      const matches = voters.map((v, i) => ({ node: v, matchIndex: matchIndex[i] }));
      // Matches listed in another order than the voters are kept whole.
      if (swap) matches.reverse();
      return {
        code: 'commit-by-quorum',
        from,
        to,
        term,
        entryTerm,
        currentTerm: entryTerm === term,
        matches,
        voters,
        quorum,
      };
    }),
  fc.record({ code: fc.constant('snapshot-taken' as const), index: n, term: n, threshold: fc.option(n) }),
  fc.record({ code: fc.constant('timeout-now' as const), from: node, term: n }),
);
const decision = fc.record({
  seq: fc.nat(1_000_000),
  node,
  time: fc.double({ min: 0, max: 1e7, noNaN: true }),
  reason,
  msgId: fc.option(fc.nat(1_000_000), { nil: undefined }),
});

function fill(
  t: DecisionTable,
  ds: readonly { seq: number; node: string; time: number; reason: Reason; msgId?: number }[],
): void {
  for (const d of ds) t.push(d.seq, d.node, d.time, d.reason, d.msgId);
}

const rows = (t: DecisionTable) => Array.from({ length: t.length }, (_, r) => text(t.ref(r)));

describe("Why?'s decision table", () => {
  it('gives back every decision as it was pushed, its reason keys in the same order', () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 5000 }), (ds) => {
        const t = new DecisionTable();
        fill(t, ds);
        expect(rows(t)).toEqual(ds.map(text));
        ds.forEach((d, r) => {
          expect(t.seq(r)).toBe(d.seq);
          expect(t.code(r)).toBe(d.reason.code);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('keeps as the very object a reason it cannot code', () => {
    const odd: Reason = { code: 'applied', from: 1.5, to: 2, commitIndex: 2 };
    const mixed: Reason = {
      code: 'append-accepted',
      leader: 'n1',
      term: 2,
      prev: { index: 3, term: 1 },
      appended: [
        { index: 4, term: 1 },
        { index: 5, term: 2 },
      ],
      matchIndex: 5,
    };
    const role: Reason = { code: 'timeout-now', from: 'n2', term: 3 };
    const coded: Reason = { code: 'applied', from: 1, to: 2, commitIndex: 2 };
    const t = new DecisionTable();
    fill(
      t,
      [odd, mixed, role, coded].map((r, i) => ({ seq: i, node: 'n1', time: i, reason: r })),
    );
    expect(t.reason(0)).toBe(odd);
    expect(t.reason(1)).toBe(mixed);
    expect(t.reason(2)).toBe(role);
    expect(t.reason(3)).not.toBe(coded);
    expect(t.reason(3)).toEqual(coded);
  });

  it('refuses a seq or message id past 2^32 with a clear error, holding nothing more', () => {
    const t = new DecisionTable();
    const r: Reason = { code: 'applied', from: 1, to: 1, commitIndex: 1 };
    expect(() => t.push(2 ** 32, 'n1', 0, r, undefined)).toThrow(/below 2\^32/);
    expect(() => t.push(1, 'n1', 0, r, 2 ** 32)).toThrow(/below 2\^32/);
    expect(t.length).toBe(0);
  });

  it('cut by `filter`: the rows below the cut but past the rows kept of a seq, in order, where each went, and neither table changed by the other growing on', () => {
    // Seqs mostly growing, a few late ones going back, as a run indexes them.
    const seqs = fc.array(fc.integer({ min: -30, max: 100 }), { maxLength: 6000 }).map((steps) => {
      let s = 1000;
      return steps.map((d) => (s = Math.max(0, s + (d > 90 ? -d : d % 7))));
    });
    fc.assert(
      fc.property(
        seqs,
        fc.array(decision, { minLength: 6000, maxLength: 6000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.nat(6000), { maxLength: 5 }),
        fc.array(decision, { maxLength: 3000 }),
        (ss, base, at, drops, more) => {
          const ds = ss.map((seq, i) => ({ ...base[i], seq }));
          const t = new DecisionTable();
          fill(t, ds);
          const cut = ds.length > 0 ? ds[Math.floor(at * (ds.length - 1))].seq + 1 : 0;
          // Of a seq in `drop`, only its first 0, 1 or 2 rows are kept (a reopened or an unread latest event).
          const drop = new Map(drops.filter((i) => i < ds.length).map((i) => [ds[i].seq, i % 3]));
          const seen = new Map<number, number>();
          const rank = ds.map((d) => {
            const k = seen.get(d.seq) ?? 0;
            seen.set(d.seq, k + 1);
            return k;
          });
          const keep = (r: number) => ds[r].seq < cut && (!drop.has(ds[r].seq) || rank[r] < drop.get(ds[r].seq)!);
          const { table, prefix, last, moved } = t.filter(cut, drop);
          const kept = ds.filter((_, r) => keep(r));
          // `last`: the highest row kept (below `prefix` when none past it is), every later one dropped.
          expect(last).toBe(Math.max(prefix - 1, ...ds.map((_, r) => (keep(r) ? r : -1))));
          expect(rows(table)).toEqual(kept.map(text));
          for (let r = 0; r < prefix; r++) expect(keep(r)).toBe(true);
          let next = 0;
          ds.forEach((_, r) => expect(moved(r)).toBe(keep(r) ? next++ : -1));
          fill(t, more);
          fill(table, more.slice().reverse());
          expect(rows(t)).toEqual([...ds, ...more].map(text));
          expect(rows(table)).toEqual([...kept, ...more.slice().reverse()].map(text));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('cut past its last row at any count of rows, goes on writing after them, not over them', () => {
    const r = (i: number): Reason => ({ code: 'applied', from: i, to: i + 1, commitIndex: i + 1 });
    for (let count = 0; count <= 40; count++) {
      const ds = Array.from({ length: count }, (_, i) => ({ seq: i, node: 'n1', time: i, reason: r(i), msgId: i }));
      const t = new DecisionTable();
      fill(t, ds);
      const { table } = t.filter(count, new Map());
      const more = [{ seq: count, node: 'n2', time: count, reason: r(100), msgId: undefined }];
      fill(table, more);
      expect(rows(table)).toEqual([...ds, ...more].map(text));
    }
  });

  it('lists as role codes exactly the codes that change a role', () => {
    const all: ReasonCode[] = [
      'election-timeout',
      'timeout-now',
      'prevote-won',
      'election-won',
      'became-follower',
      'vote-granted',
      'vote-refused',
      'vote-ignored',
      'append-accepted',
      'append-rejected',
      'truncated',
      'proposed',
      'commit-by-quorum',
      'commit-by-leader',
      'applied',
      'snapshot-installed',
      'snapshot-taken',
      'leader-transfer',
    ];
    expect(all.filter((code) => changesRole({ code } as Reason))).toEqual([...ROLE_CODES]);
  });

  it("holds a recorded run's decisions exactly as its events carry them", async () => {
    for (const file of ['04-leader-crash.json', '06-figure8-unsafe.json', '14-join-and-remove.json']) {
      const { history: h } = await recordScenario(file);
      const carried: string[] = [];
      for (let seq = 0; seq < h.end; seq++) {
        const e = h.event(seq)!;
        if (e.node === undefined) continue;
        for (const d of e.decisions ?? [])
          carried.push(text({ seq, node: e.node, time: d.time, reason: d.reason, msgId: d.msgId }));
      }
      expect(carried.length, file).toBeGreaterThan(40);
      expect(h.allDecisions().map(text), file).toEqual(carried);
    }
  });
});

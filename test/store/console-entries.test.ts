import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import type { ConsoleEntry } from '../../src/replay/types';
import { defaultSimOptions } from '../../src/replay/simulation';
import { answerEntries, entryIndex, patchEntry, type HeldAnswer } from '../../src/store/consoleEntries';
import { getSim, useStore } from '../../src/store/store';

const entry = (id: number): ConsoleEntry => ({
  id,
  sql: `SELECT ${id}`,
  node: 'n1',
  op: { op: 'query', req: { statements: [{ sql: `SELECT ${id}` }], level: 'none', timeout: 5000 } },
  sentAt: id,
  answer: null,
  answeredAt: null,
  forgotten: false,
});

describe('patchEntry', () => {
  it('changes exactly the entry with that id, in a new array, and leaves the old one as it was', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(1000), { maxLength: 60 }), fc.nat(1000), (ids, id) => {
        const before = ids.map(entry);
        const copy = [...before];
        const after = patchEntry(before, id, (e) => ({ ...e, answeredAt: -1 }));
        expect(before).toEqual(copy);
        if (!ids.includes(id)) {
          expect(after).toBeNull();
          expect(entryIndex(before, id)).toBe(-1);
          return;
        }
        expect(after).not.toBe(before);
        expect(after!.map((e) => e.id)).toEqual(ids);
        after!.forEach((e, i) => {
          if (e.id === id) expect(e).toEqual({ ...before[i], answeredAt: -1 });
          else expect(e).toBe(before[i]);
        });
        expect(before[entryIndex(before, id)].id).toBe(id);
      }),
    );
  });
});

describe('answerEntries', () => {
  it('writes every held answer as patchEntry would one at a time, in one new array, or gives null when none has an entry', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(200), { maxLength: 40 }),
        fc.array(fc.record({ id: fc.nat(200), time: fc.nat(10_000), ok: fc.boolean() }), { maxLength: 20 }),
        (ids, answers) => {
          const before = ids.map(entry);
          const copy = [...before];
          const held: HeldAnswer[] = answers.map(({ id, time, ok }) => ({
            id,
            time,
            answer: failure(ok ? 'n1' : 'n2', { code: 'not-leader' }),
          }));
          const after = answerEntries(before, held);
          expect(before).toEqual(copy);
          let oneByOne: ConsoleEntry[] | null = null;
          for (const h of held)
            oneByOne =
              patchEntry(oneByOne ?? before, h.id, (e) => ({ ...e, answer: h.answer, answeredAt: h.time })) ??
              oneByOne;
          expect(after).toEqual(oneByOne);
          if (after) {
            expect(after).not.toBe(before);
            after.forEach((e, i) => {
              if (!held.some((h) => h.id === e.id)) expect(e).toBe(before[i]);
            });
          }
        },
      ),
    );
  });
});

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
  await useStore.getState().init(async () => SQL);
});

describe('the console in the store', () => {
  it('a request sent from the console gets its clock and its answer, and the entries before it are kept as they were', () => {
    useStore.getState().newCluster({ ...defaultSimOptions, nodes: 3, seed: 7 });
    useStore.getState().drive((d) => d.sim.runTo(2000));
    const store = useStore.getState();
    store.seekTime(Number.MAX_SAFE_INTEGER);
    // Every state the console went through, with a copy of its entries as they were then.
    const seen: { entries: readonly ConsoleEntry[]; copy: ConsoleEntry[] }[] = [];
    const stop = useStore.subscribe((st, prev) => {
      if (st.entries !== prev.entries)
        seen.push({ entries: st.entries, copy: st.entries.map((e) => ({ ...e })) });
    });
    expect(useStore.getState().submit('CREATE TABLE t(k)')).toBe(true);
    expect(useStore.getState().submit('INSERT INTO t VALUES (1)')).toBe(true);
    getSim()!.runTo(getSim()!.now + 3000);
    stop();
    const { entries } = useStore.getState();
    expect(entries.map((e) => e.sql)).toEqual(['CREATE TABLE t(k)', 'INSERT INTO t VALUES (1)']);
    const inputs = getSim()!.inputs.filter((i) => i.action.kind === 'request');
    expect(entries.map((e) => e.sentAt)).toEqual(inputs.map((i) => i.time));
    expect(entries.map((e) => e.answer?.ok)).toEqual([true, true]);
    expect(entries.every((e) => e.answeredAt !== null && e.answeredAt > e.sentAt)).toBe(true);
    // Sent, answered, a fork's answers from the future it left forgotten: each a new array; none
    // changed in place afterwards.
    expect(seen.length).toBeGreaterThanOrEqual(6);
    for (const s of seen) expect(s.entries).toEqual(s.copy);
  });

  it('the answers that come while the play loop advances the cluster are written with the frame they came in, in one update', () => {
    useStore.getState().newCluster({ ...defaultSimOptions, nodes: 3, seed: 11 });
    useStore.getState().drive((d) => {
      d.sim.runTo(2000);
      d.request(
        'n1',
        {
          op: 'execute',
          req: {
            statements: [{ sql: 'CREATE TABLE t(k)' }],
            transaction: false,
            queue: false,
            timeout: 5000,
          },
        },
        'CREATE TABLE t(k)',
      );
      d.sim.runTo(3000);
    });
    useStore.getState().seekTime(Number.MAX_SAFE_INTEGER);
    useStore.getState().play();
    for (let k = 0; k < 5; k++) expect(useStore.getState().submit(`INSERT INTO t VALUES (${k})`)).toBe(true);
    const updates: { frame: boolean; answered: number }[] = [];
    const stop = useStore.subscribe((st, prev) => {
      const answered =
        st.entries.filter((e) => e.answer !== null).length -
        prev.entries.filter((e) => e.answer !== null).length;
      updates.push({ frame: st.frame !== prev.frame, answered });
    });
    // One tick of 100 ms: every write is committed and answered in it (a round trip is a few ms here).
    useStore.getState().tick(100);
    stop();
    useStore.getState().pause();
    expect(updates).toEqual([{ frame: true, answered: 5 }]);
    const { entries } = useStore.getState();
    expect(entries.slice(-5).map((e) => e.answer?.ok)).toEqual([true, true, true, true, true]);
    // Each clocked when it was sent (the input's time), answered after.
    const sent = getSim()!
      .inputs.slice(-5)
      .map((i) => i.time);
    expect(entries.slice(-5).map((e) => e.sentAt)).toEqual(sent);
    expect(entries.slice(-5).every((e) => e.answeredAt !== null && e.answeredAt > e.sentAt)).toBe(true);
  });
});

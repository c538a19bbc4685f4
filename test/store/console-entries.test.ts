import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import type { ConsoleEntry } from '../../src/replay/types';
import { defaultSimOptions } from '../../src/replay/simulation';
import { entryIndex, patchEntry } from '../../src/store/consoleEntries';
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
    // Sent, clocked, answered: each a new array; none changed in place afterwards.
    expect(seen.length).toBeGreaterThanOrEqual(6);
    for (const s of seen) expect(s.entries).toEqual(s.copy);
  });
});

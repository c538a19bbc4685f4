import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../src/replay/eventStore';
import type { SimEvent } from '../../src/replay/simulation';
import { latestRows, type RowScan } from '../../src/ui/eventRows';

/** Only `seq` and a flag matter to the list's reading; the rest of an event is not looked at. */
const event = (seq: number, shown: boolean) =>
  ({ seq, time: seq, kind: shown ? 'crash' : 'deliver' }) as unknown as SimEvent;

/** The reading from scratch, as the event list did it every frame. */
function fromScratch(
  events: EventStore,
  end: number,
  accept: (e: SimEvent) => boolean,
  max: number,
): SimEvent[] {
  const rows: SimEvent[] = [];
  for (let seq = end - 1; seq >= events.start && rows.length < max; seq--) {
    const e = events.get(seq)!;
    if (accept(e)) rows.push(e);
  }
  return rows;
}

const step = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), shown: fc.array(fc.boolean(), { maxLength: 30 }) }),
  fc.record({
    kind: fc.constant('read' as const),
    back: fc.oneof(fc.constant(0), fc.nat(40)),
    filter: fc.nat(2),
  }),
  fc.record({ kind: fc.constant('dropFront' as const), n: fc.nat(10) }),
  fc.record({
    kind: fc.constant('rewrite' as const),
    cut: fc.nat(15),
    shown: fc.array(fc.boolean(), { maxLength: 30 }),
  }),
);

describe('latestRows', () => {
  it('resumed reading after reading equals reading from scratch, as the history grows, loses its front or is rewritten', () => {
    const filters = [
      (e: SimEvent) => e.kind === 'crash',
      () => true,
      (e: SimEvent) => e.kind === 'crash' || e.seq % 3 === 0,
    ];
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (steps, max) => {
        let log: SimEvent[] = [];
        const events = new EventStore(() => log);
        let prev: RowScan | null = null;
        for (const s of steps) {
          if (s.kind === 'append') log.push(...s.shown.map((shown, i) => event(events.end + i, shown)));
          else if (s.kind === 'dropFront') log.splice(0, Math.min(s.n, Math.max(0, log.length - 1)));
          else if (s.kind === 'rewrite') {
            // A log cut back and grown again holds new objects at the same seqs (a restore).
            const kept = log.slice(0, Math.max(0, log.length - s.cut));
            const base = events.start;
            log = [...kept, ...s.shown.map((shown, i) => event(base + kept.length + i, shown))];
          } else {
            const end = Math.max(events.start, events.end - s.back);
            const accept = filters[s.filter];
            prev = latestRows(events, end, accept, max, prev);
            expect(prev.rows).toEqual(fromScratch(events, end, accept, max));
            expect(
              prev.rows.every(
                (e, i) => e === events.get(e.seq) && (i === 0 || prev!.rows[i - 1].seq > e.seq),
              ),
            ).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out the rows of events the history no longer keeps', () => {
    const log = Array.from({ length: 21 }, (_, seq) => event(seq, seq === 2 || seq === 15));
    const events = new EventStore(() => log);
    const accept = (e: SimEvent) => e.kind === 'crash';
    const first = latestRows(events, 21, accept, 80, null);
    expect(first.rows.map((e) => e.seq)).toEqual([15, 2]);
    log.splice(0, 5);
    log.push(event(21, false));
    expect(latestRows(events, 22, accept, 80, first).rows.map((e) => e.seq)).toEqual([15]);
  });

  it('reads only what was logged since the last reading', () => {
    const log: SimEvent[] = [event(0, true)];
    for (let seq = 1; seq < 10_000; seq++) log.push(event(seq, false));
    let reads = 0;
    const store = new EventStore(() => log);
    const counting = Object.assign(Object.create(store) as EventStore, {
      get: (seq: number) => {
        reads++;
        return store.get(seq);
      },
    });
    const accept = (e: SimEvent) => e.kind === 'crash';
    const first = latestRows(counting, 10_000, accept, 80, null);
    expect(first.rows.map((e) => e.seq)).toEqual([0]);
    reads = 0;
    for (let seq = 10_000; seq < 10_005; seq++) log.push(event(seq, seq === 10_003));
    const next = latestRows(counting, 10_005, accept, 80, first);
    expect(next.rows.map((e) => e.seq)).toEqual([10_003, 0]);
    expect(reads).toBeLessThan(10);
  });
});

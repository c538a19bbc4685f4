import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetyMonitor } from '../../src/check/safety';
import { entry, HandBuiltCluster, log } from '../helpers/handBuilt';

/**
 * The monitor's Log Matching check remembers where each pair of logs last matched and reads only
 * what was appended above it (src/check/safety.ts, PairMatch). These tests hold it to the check
 * that walks every pair's whole overlap each time.
 */

type Op =
  | { kind: 'append'; node: number; term: number; data: number }
  | { kind: 'truncate'; node: number; back: number }
  | { kind: 'compact'; node: number; back: number }
  | { kind: 'event' };

const IDS = ['n1', 'n2', 'n3'];

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      node: fc.nat(2),
      term: fc.integer({ min: 1, max: 3 }),
      data: fc.nat(2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      node: fc.nat(2),
      back: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('compact' as const),
      node: fc.nat(2),
      back: fc.integer({ min: 0, max: 6 }),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'event' as const }) },
);

/** Apply `o` to the cluster's logs through PersistentState's own methods, as a Raft node does. */
function perform(c: HandBuiltCluster, o: Op): void {
  if (o.kind === 'event') return c.event();
  const st = c.server(IDS[o.node]).proc.storage;
  if (o.kind === 'append') {
    // Mostly the same entry as the other logs hold there (a shared prefix), sometimes another.
    const index = st.lastIndex + 1;
    st.append(entry(index, Math.max(o.term, st.lastTerm()), o.data === 0 ? `other ${index}` : `${index}`));
  } else if (o.kind === 'truncate')
    st.truncateFrom(Math.max(st.snapshot.index + 1, st.lastIndex - o.back + 1));
  else st.compact(st.lastIndex - o.back, new Uint8Array(0));
}

describe('Log Matching, checked from where two logs last matched', () => {
  it('reports exactly what the walk over every pair’s whole overlap reports, at the same events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const remembering = new HandBuiltCluster(IDS);
        const walking = new HandBuiltCluster(IDS);
        const a = new SafetyMonitor(remembering);
        const b = new SafetyMonitor(walking);
        for (const o of ops) {
          // Moving every log's edit count makes each check forget where the pairs matched: the whole walk.
          if (o.kind === 'event') for (const s of walking.servers.values()) s.proc.storage.edits++;
          perform(remembering, o);
          perform(walking, o);
          expect(a.violations()).toEqual(b.violations());
        }
        a.finish();
        b.finish();
        expect(a.violations()).toEqual(b.violations());
      }),
      { numRuns: 300 },
    );
  });

  it('finds a difference appended above where the logs matched before', () => {
    const c = new HandBuiltCluster(IDS);
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, 1, 2));
    c.server('n2').setLog(log(1, 1, 2));
    c.event();
    expect(m.violations()).toEqual([]);
    // Appended, not rewritten: the check starts from index 3, where the two matched.
    c.server('n1').proc.storage.append(entry(4, 2, 'a'));
    c.server('n2').proc.storage.append(entry(4, 2, 'b'));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n2 hold different entries at 4 in term 2']);
  });

  it('reads the whole overlap again after a log was cut back and written anew below that point', () => {
    const c = new HandBuiltCluster(IDS);
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, 1, 1, 1));
    c.server('n2').setLog(log(1, 1, 1, 1));
    c.event();
    const st = c.server('n2').proc.storage;
    // The same entry objects put back above the rewritten one: only the edit count tells.
    const [third, fourth] = [st.entry(3)!, st.entry(4)!];
    st.truncateFrom(2);
    st.append(entry(2, 1, 'rewritten'));
    st.append(third);
    st.append(fourth);
    // A new entry at its end, so the monitor looks at this log again (its tip moved).
    st.append(entry(5, 1, '1:5'));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n2 agree at a later index but differ at 2']);
  });
});

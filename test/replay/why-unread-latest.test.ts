import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/raft/reasons';
import { EventStore, eventsOf, type EventHistory } from '../../src/replay/eventStore';
import type { SimEvent } from '../../src/replay/simulation';
import { History } from '../../src/replay/why';

const applied = (i: number): Reason => ({ code: 'applied', from: i, to: i, commitIndex: i });
const decided = (i: number) => ({ reason: applied(i), time: i });
const restart = (seq: number, node: string, decisions?: ReturnType<typeof decided>[]): SimEvent =>
  ({ seq, time: seq * 10, kind: 'restart', node, ...(decisions ? { decisions } : {}) }) as SimEvent;

/** A resumed run's log as Why? reads it: its events, the latest ones it read back, and those it has not. */
function resumedLog(
  log: SimEvent[],
  latest: () => SimEvent[],
  unread: ReadonlyMap<number, number>,
): EventHistory {
  const store = new EventStore(() => log);
  return Object.assign(Object.create(store) as EventHistory, { latest, unreadLatest: () => unread });
}

describe("Why?'s index of a run resumed with latest events it has not read back", () => {
  it('keeps the decisions an unread event had at the checkpoint, none it gained later in the run left, and indexes those it gains once read back', () => {
    // The run left: n1's event 2 took decision 1 before the checkpoint (at seq 4) and decision 2 after it.
    const left = [
      restart(0, 'n2', [decided(10)]),
      restart(1, 'n3'),
      restart(2, 'n1', [decided(1), decided(2)]),
      restart(3, 'n2', [decided(11)]),
    ];
    const source = new History(eventsOf([...left, restart(4, 'n3', [decided(12)])]));
    // Resumed at seq 4: n1's event 2 is a latest event not read back, with the one decision it had then.
    const copy = restart(2, 'n1', [decided(1)]);
    const log = [left[0], left[1], copy, left[3]];
    let readBack: SimEvent[] = [];
    const resumed = source.resumedAt(resumedLog(log, () => readBack, new Map([[2, 1]])));
    const decisions = () =>
      resumed.allDecisions().map((d) => [d.seq, d.reason.code === 'applied' && d.reason.to]);
    expect(decisions()).toEqual([
      [0, 10],
      [2, 1],
      [3, 11],
    ]);
    // A decision comes for it: the run reads it back (the copy) and it gains the decision.
    (copy.decisions as ReturnType<typeof decided>[]).push(decided(3));
    readBack = [copy];
    resumed.sync();
    expect(decisions()).toEqual([
      [0, 10],
      [2, 1],
      [2, 3],
      [3, 11],
    ]);
    expect(resumed.decisionsOf('n1').map((d) => d.reason)).toEqual([applied(1), applied(3)]);
    // Built over the resumed run's log from scratch, the index says the same.
    expect(new History(eventsOf(log)).allDecisions()).toEqual(resumed.allDecisions());
  });
});

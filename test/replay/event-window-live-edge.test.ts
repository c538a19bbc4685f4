import { describe, expect, it } from 'vitest';
import { EventWindow } from '../../src/replay/eventWindow';
import type { SimEvent } from '../../src/replay/simulation';

/** A window of five-event chunks fed by hand, counting the replays its reads ask for. */
function window() {
  const tail = { log: [] as SimEvent[], latestEvents: () => [] as SimEvent[] };
  const w = new EventWindow(tail, { head: 2, recent: 1 });
  const ev = (seq: number) => ({ seq, time: seq * 10, kind: 'timer', node: 'n1', timer: 'heartbeat' }) as unknown as SimEvent;
  let replays = 0;
  w.rebuild = (start, end) => {
    replays++;
    return { from: start, events: Array.from({ length: end - start }, (_, i) => ev(start + i)) };
  };
  let next = 0;
  return {
    w,
    /** Log five events and seal them as a chunk, as a checkpoint does. */
    chunk() {
      tail.log = Array.from({ length: 5 }, () => ev(next++));
      w.seal([]);
      tail.log = [];
    },
    replays: () => replays,
  };
}

describe('the event window at the live edge', () => {
  it('keeps a chunk the view reads as it leaves the head window, instead of rebuilding it the next frame', () => {
    const r = window();
    r.chunk();
    // The event list rests on event 2 (a quiet cluster's latest notable event) while chunks come.
    for (let k = 0; k < 6; k++) {
      expect(r.w.pick([2])[0].seq).toBe(2);
      r.chunk();
    }
    expect(r.w.pick([2])[0].seq).toBe(2);
    expect(r.replays()).toBe(0);
  });

  it('still drops a chunk nobody read since the last seal, and rebuilds it when read', () => {
    const r = window();
    r.chunk();
    r.w.pick([2]);
    r.chunk(); // event 2 read before this seal: its chunk is still in the head
    r.chunk(); // not read since: chunk 0 leaves the head unread and is dropped
    expect(r.w.held).toBe(10);
    expect(r.w.pick([2])[0].seq).toBe(2);
    expect(r.replays()).toBe(1);
  });
});

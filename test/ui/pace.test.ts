import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../src/store/appState';
import { browserClock, Pacer, urgentChange, type PaceClock } from '../../src/ui/pace';

interface S {
  n: number;
  playing: boolean;
}

/** A store of `S` and a clock moved by hand, its timers run when their time comes. */
function setup(pace = 100) {
  let state: S = { n: 0, playing: true };
  const subs = new Set<() => void>();
  const source = {
    getState: () => state,
    subscribe(l: () => void) {
      subs.add(l);
      return () => subs.delete(l);
    },
  };
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: PaceClock = {
    now: () => now,
    later(run, ms) {
      const t = { at: now + ms, run };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  };
  const pacer = new Pacer<S>(source, (next) => !next.playing, clock, pace);
  const seen: number[] = [];
  const unsubscribe = pacer.subscribe(() => seen.push(pacer.get().n));
  return {
    pacer,
    source,
    seen,
    unsubscribe,
    subs,
    timers: () => timers,
    set(next: Partial<S>) {
      state = { ...state, ...next };
      for (const l of [...subs]) l();
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        timers = timers.filter((t) => t !== due);
        due.run();
      }
      now = end;
    },
  };
}

describe('Pacer', () => {
  it('publishes a playing source at most once per pace, on the first change after it', () => {
    const t = setup(100);
    // Sixty frames a second for one second: the first change is shown (nothing has been yet), then one every 100 ms.
    for (let k = 1; k <= 60; k++) {
      t.advance(1000 / 60);
      t.set({ n: k });
    }
    expect(t.seen.length).toBeGreaterThanOrEqual(9);
    expect(t.seen.length).toBeLessThanOrEqual(11);
    // Each publication shows the newest state, and none is shown twice.
    expect(new Set(t.seen).size).toBe(t.seen.length);
    expect(t.seen).toEqual([...t.seen].sort((a, b) => a - b));
    expect(t.pacer.get().n).toBeLessThanOrEqual(60);
  });

  it('publishes a last change followed by none, a pace later', () => {
    const t = setup(100);
    t.advance(10);
    t.set({ n: 1 }); // shown: the first
    t.advance(10);
    t.set({ n: 2 }); // within the pace: held
    expect(t.pacer.get().n).toBe(1);
    t.advance(99);
    expect(t.pacer.get().n).toBe(1);
    t.advance(1);
    expect(t.pacer.get().n).toBe(2);
    expect(t.seen).toEqual([1, 2]);
    expect(t.timers()).toEqual([]);
  });

  it('publishes every change at once while urgent (paused), and cancels a held one', () => {
    const t = setup(100);
    t.advance(10);
    t.set({ n: 1 });
    t.set({ n: 2 }); // held
    t.set({ n: 3, playing: false }); // paused: shown at once, the held timer dropped
    t.set({ n: 4 });
    t.set({ n: 5 });
    expect(t.seen).toEqual([1, 3, 4, 5]);
    expect(t.timers()).toEqual([]);
    t.advance(500);
    expect(t.seen).toEqual([1, 3, 4, 5]);
  });

  it('leaves the source when its last reader goes, and shows a new reader the state as it is', () => {
    const t = setup(100);
    t.advance(10);
    t.set({ n: 1 });
    t.set({ n: 2 }); // held
    t.unsubscribe();
    expect(t.subs.size).toBe(0);
    expect(t.timers()).toEqual([]);
    t.set({ n: 7 });
    const again: number[] = [];
    t.pacer.subscribe(() => again.push(t.pacer.get().n));
    expect(t.pacer.get().n).toBe(7);
    expect(t.subs.size).toBe(1);
  });

  it('shows the source as it is before anyone subscribes, and publishes nothing for a notice without a change', () => {
    const t = setup(100);
    // A reader renders (reads) before it subscribes.
    const unread = new Pacer<S>(t.source, () => false, { now: () => 0, later: () => () => undefined });
    expect(unread.get()).toBe(t.source.getState());
    t.advance(500);
    for (const l of [...t.subs]) l(); // notified, the state the same object
    expect(t.seen).toEqual([]);
    expect(t.timers()).toEqual([]);
  });

  it('publishes a change a whole pace after the last publication at once', () => {
    const t = setup(100);
    t.advance(10);
    t.set({ n: 1 });
    t.advance(100);
    t.set({ n: 2 }); // exactly a pace later: no wait
    expect(t.seen).toEqual([1, 2]);
    expect(t.timers()).toEqual([]);
  });

  it('listens to the source once for many readers, and until the last of them leaves', () => {
    const t = setup(100);
    t.advance(10);
    t.set({ n: 1 });
    t.set({ n: 2 }); // held
    const second: number[] = [];
    const leave = t.pacer.subscribe(() => second.push(t.pacer.get().n));
    // The second reader joins what the first is shown: the held change stays held, for both.
    expect(t.subs.size).toBe(1);
    expect(t.pacer.get().n).toBe(1);
    t.unsubscribe();
    expect(t.subs.size).toBe(1);
    t.advance(100);
    expect(second).toEqual([2]);
    expect(t.seen).toEqual([1]);
    leave(); // nothing held now: leaving cancels no timer
    expect(t.subs.size).toBe(0);
  });
});

describe('urgentChange', () => {
  const state = (playing: boolean, revision: number) => ({ playing, revision }) as AppState;
  it('is urgent when paused, when play starts and when a new run begins; not while playing on', () => {
    expect(urgentChange(state(false, 1), state(true, 1))).toBe(true);
    expect(urgentChange(state(true, 1), state(false, 1))).toBe(true);
    expect(urgentChange(state(true, 2), state(true, 1))).toBe(true);
    expect(urgentChange(state(true, 1), state(true, 1))).toBe(false);
  });
});

describe('browserClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('reads performance.now(), runs later after its delay, and not once cancelled', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const t0 = browserClock.now();
    vi.advanceTimersByTime(250);
    expect(browserClock.now() - t0).toBe(250);
    const ran: string[] = [];
    browserClock.later(() => ran.push('a'), 100);
    const cancel = browserClock.later(() => ran.push('b'), 100);
    cancel();
    vi.advanceTimersByTime(99);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a']);
  });
});

import type { StoreApi } from 'zustand';
import { ensureAhead, getSim, headTime } from './current';
import { frameAtTime, frameOfSeq } from './frameSearch';
import { isRoutine } from './interesting';
import { deliveryFrame } from './stepMessage';
import type { AppState } from './store';

type MoveActions = Pick<
  AppState,
  'stepForward' | 'stepBack' | 'stepInteresting' | 'stepMessage' | 'seekTime' | 'seekEvent'
>;

/**
 * Moving the view through the run without changing it: a step at a time (an event, an event the
 * event list names, a message's delivery), or straight to a moment or an event. Stepping past the
 * end of what was simulated runs the simulation on; nothing here forks.
 */
export function moveActions(set: StoreApi<AppState>['setState'], get: () => AppState): MoveActions {
  return {
    stepForward() {
      const s = getSim();
      if (!s) return;
      const cur = get().frame;
      const seqEnd = s.frames.seqEnd(cur);
      let f = cur + 1;
      for (;;) {
        while (f >= s.frames.length) if (!s.stepEvent()) return;
        if (s.frames.seqEnd(f) > seqEnd) break;
        f++;
      }
      const time = s.frames.time(f);
      ensureAhead(s, time);
      set({ playing: false, frame: f, time });
    },

    stepBack() {
      const s = getSim();
      if (!s) return;
      const cur = get().frame;
      const here = frameOfSeq(s.frames, s.frames.seqEnd(cur) - 1);
      if (here === 0) {
        set({ playing: false, frame: 0, time: 0 });
        return;
      }
      const f = frameOfSeq(s.frames, s.frames.seqEnd(here - 1) - 1);
      set({ playing: false, frame: f, time: s.frames.time(f) });
    },

    stepInteresting() {
      const s = getSim();
      if (!s) return;
      // Bounded: a quiet cluster (no leader changes, no requests) has only heartbeats to show.
      for (let k = 0; k < 2000; k++) {
        const before = s.frames.seqEnd(get().frame);
        get().stepForward();
        const after = s.frames.seqEnd(get().frame);
        if (getSim() !== s || after <= before) return;
        for (let q = before; q < after; q++) {
          const e = s.events.get(q);
          if (e && !isRoutine(e)) return;
        }
      }
    },

    stepMessage(dir, accept = () => true) {
      const s = getSim();
      if (!s) return;
      const f = deliveryFrame(s, get().frame, dir, accept);
      if (f === null) return;
      const time = s.frames.time(f);
      ensureAhead(s, time);
      set({ playing: false, frame: f, time });
    },

    seekTime(time) {
      const s = getSim();
      if (!s) return;
      const t = Math.max(0, Math.min(time, headTime(s, get().time)));
      set({ playing: false, time: t, frame: frameAtTime(s.frames, t) });
    },

    seekEvent(seq) {
      const s = getSim();
      if (!s) return;
      const f = frameOfSeq(s.frames, seq);
      set({ playing: false, frame: f, time: s.frames.time(f), selectedMsg: null });
    },
  };
}

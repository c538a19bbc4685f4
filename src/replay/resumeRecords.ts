import { ApplyLog } from './applyLog';
import type { SimCheckpoint } from './checkpoints';
import { EventWindow, type EventTail } from './eventWindow';
import { FrameStore } from './frameStore';
import type { NotableSeqs } from './notable';
import type { AnswerRecord, Input, Marker, SimEvent } from './runTypes';

/** A run's long records: what a resumed run takes from the run it leaves, up to a checkpoint. */
export interface RunRecords {
  frames: FrameStore;
  events: EventWindow;
  applies: ApplyLog;
  notable: NotableSeqs;
  inputs: Input[];
  markers: Marker[];
  answers: AnswerRecord[];
}

/**
 * How a run resumes from another's checkpoint. `take`: the run left is dropped right after (the
 * page's fork), so its long records are cut back in place and moved, not copied (copying hundreds
 * of thousands of frames cost more than the replay). `copy`: the run left stays as it was. `shadow`:
 * a throwaway run that rebuilds dropped history takes only what stepping on needs: no applies, no
 * index of notable events, and of the frames only the checkpoint's own.
 */
export type ResumeMode = 'take' | 'copy' | 'shadow';

/** The world whose log holds a run's latest events (a `take` empties the one of the run left). */
type Tail = EventTail & { log: SimEvent[] };

/**
 * The records of `from` (whose world is `fromWorld`) up to `cp`, for a run resumed there whose
 * world is `tail`. With `take`, `from` is left with empty ones. A shadow's applies and notable
 * index are `from`'s own, which it never reads.
 */
export function recordsAt(from: RunRecords, fromWorld: Tail, cp: SimCheckpoint, mode: ResumeMode, tail: EventTail): RunRecords {
  const rest = {
    // Chunks end at checkpoints: the events before `cp` are whole chunks, shared and never copied.
    events: from.events.prefix(cp.events, tail),
    notable: mode === 'shadow' ? from.notable : from.notable.prefix(cp.events),
    inputs: from.inputs.slice(0, cp.inputs),
    markers: from.markers.slice(0, cp.markers),
    answers: from.answers.slice(0, cp.answers),
  };
  if (mode === 'shadow') {
    const frames = FrameStore.from(from.frames.window, cp.frame, from.frames.get(cp.frame), from.frames);
    return { ...rest, frames, applies: from.applies };
  }
  if (mode === 'copy') {
    return { ...rest, frames: from.frames.prefix(cp.frame + 1), applies: from.applies.prefix(from.applies.countUpTo(cp.frame)) };
  }
  const { frames, applies } = from;
  frames.truncate(cp.frame + 1);
  applies.truncate(applies.countUpTo(cp.frame));
  fromWorld.log = [];
  from.events = new EventWindow(fromWorld, from.events.policy);
  from.frames = new FrameStore(frames.window);
  from.applies = new ApplyLog();
  return { ...rest, frames, applies };
}

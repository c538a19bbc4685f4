import type { OperatorAction } from '../cluster/operate';
import type { Answer, ClientOp, NetMessage } from '../cluster/types';
import type { LoggedEvent } from '../sim/events';
import type { EventWindowPolicy } from './eventWindow';
import type { FrameWindow } from './frameStore';
import type { MarkerKind } from './describe';

// What a run records and is made of (simulation.ts runs it): its events, inputs, markers, applies
// and answers, and the kinds of run there are.

export type SimEvent = LoggedEvent<NetMessage>;

/** Everything a user can do to the cluster; recorded so any moment can be rebuilt by replay. */
export type InputAction = OperatorAction | { kind: 'request'; id: number; node: string; body: ClientOp };

export interface Input {
  /** Number of frames that existed when the input was applied: replay applies it at that point. */
  readonly frame: number;
  readonly time: number;
  readonly action: InputAction;
}

export interface Marker {
  readonly seq: number;
  readonly time: number;
  readonly kind: MarkerKind;
  readonly text: string;
}

export interface ApplyRecord {
  readonly node: string;
  readonly time: number;
  /** The frame the apply belongs to (the one its step captured): a fork keeps those up to its own. */
  readonly frame: number;
}

export type AnswerSink = (id: number, answer: Answer, time: number) => void;

/** What kind of run a Simulation is, beyond its options. */
export interface RunKind {
  /** False for a run about to `resume` from a checkpoint: its servers need not start first. */
  readonly start?: boolean;
  /** Which frames stay in memory (frameStore.ts); null keeps them all, and every event too. */
  readonly window?: FrameWindow | null;
  /**
   * Which events stay in memory (eventWindow.ts), when frames are dropped at all; null (the
   * default, for now) keeps them all: Why?'s index is built over the whole log when first asked,
   * which would rebuild every dropped event.
   */
  readonly eventWindow?: EventWindowPolicy | null;
  /**
   * A run that only remakes dropped frames of another (`rebuildFrames`), then is thrown away. It
   * checks no safety property and takes no checkpoint: neither changes what happens (every read of
   * a database settles its waiting writes first, so the frames are the same), and both were a
   * fifth of what a rebuild cost.
   */
  readonly shadow?: boolean;
  /**
   * A shadow run that remakes events only (a dropped chunk of the event log): its frames are
   * counted, their time and seqEnd kept, never captured. Capturing a frame every step was most of
   * what replaying an interval cost, and nothing in a step reads the frames.
   */
  readonly eventsOnly?: boolean;
}

/** A client's answer as the run keeps it: the `client` event it answers, and when it came. */
export interface AnswerRecord {
  /** The seq of the `client` event the request was recorded as. */
  readonly clientSeq: number;
  readonly time: number;
  /** The frame the answer belongs to: the one captured after the step (or input) that produced it. */
  readonly frame: number;
  readonly answer: Answer;
}

import { useSyncExternalStore } from 'react';
import type { AppState } from '../store/appState';
import { useStore } from '../store/store';
import { frameView, type FrameView } from './hooks';

/**
 * How long apart the text panels (the event list, the console's answers, the Node, Tables and
 * Safety tabs) and the timeline's marks are redrawn while the cluster plays. At 9 nodes and 50
 * writes/s a dozen rows arrive every frame, far faster than anyone reads; redrawn every animation
 * frame, the two lists were about a quarter of the page's main-thread work (React, layout, text
 * shaping and the repaint of every row a new one pushes down). Paused, stepping or jumping, they
 * follow at once. What moves (the ring, the log strips, the clock, the timeline's cursor) reads the
 * store itself, every frame.
 */
export const PACE_MS = 100;

export interface PaceClock {
  now(): number;
  later(run: () => void, ms: number): () => void;
}

/**
 * A source's state as a slow reader is shown it: every change is published at once while `urgent`
 * says so (the cluster is paused, a new run began), otherwise at most once per `pace` ms, on the
 * first change after that long so that the redraw falls in the same frame as the picture's; a
 * change followed by none is published `pace` ms later all the same.
 */
export class Pacer<S> {
  private shown: S;
  private shownAt = -Infinity;
  private cancel: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: { getState(): S; subscribe(listener: () => void): () => void },
    private readonly urgent: (next: S, shown: S) => boolean,
    private readonly clock: PaceClock,
    private readonly pace = PACE_MS,
  ) {
    this.shown = source.getState();
  }

  /** The state last published. */
  get = (): S => this.shown;

  subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) {
      // Whatever changed while nobody read it is shown to the first new reader as it is now.
      this.shown = this.source.getState();
      this.unsubscribe = this.source.subscribe(this.changed);
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
        this.cancel?.();
        this.cancel = null;
      }
    };
  };

  private changed = (): void => {
    const next = this.source.getState();
    if (next === this.shown) return;
    if (this.urgent(next, this.shown) || this.clock.now() - this.shownAt >= this.pace) this.publish();
    else if (this.cancel === null) this.cancel = this.clock.later(this.publish, this.pace);
  };

  private publish = (): void => {
    this.cancel?.();
    this.cancel = null;
    this.shown = this.source.getState();
    this.shownAt = this.clock.now();
    for (const l of this.listeners) l();
  };
}

export const browserClock: PaceClock = {
  now: () => performance.now(),
  later(run, ms) {
    const t = setTimeout(run, ms);
    return () => clearTimeout(t);
  },
};

/** Paused, or a new run (a new cluster, a load): shown at once. */
export const urgentChange = (next: AppState, shown: AppState): boolean =>
  !next.playing || !shown.playing || next.revision !== shown.revision;

const paced = new Pacer<AppState>(useStore, urgentChange, browserClock);

/** `useStore(selector)` as the text panels read it: at most every PACE_MS while playing. */
export function usePaced<T>(selector: (s: AppState) => T): T {
  return useSyncExternalStore(paced.subscribe, () => selector(paced.get()));
}

/** The frame on screen as the text panels show it (`useFrame`, paced). */
export function usePacedFrame(): FrameView | null {
  const index = usePaced((s) => s.frame);
  usePaced((s) => s.revision);
  return frameView(index);
}

import { useEffect, useState, useSyncExternalStore } from 'react';
import { useStore } from '../store/store';
import { getSim } from '../store/store';
import type { Frame } from '../replay/frames';
import type { Simulation } from '../replay/simulation';

/** The run's frame at `index` (the store's `frame`), or its last if the run is shorter; null without a run. */
export function frameAt(index: number): Frame | null {
  const sim = getSim();
  return sim && sim.frames.length > 0 ? sim.frames.get(Math.min(index, sim.frames.length - 1)) : null;
}

/** The frame on screen; re-renders only when the frame index or the run changes. */
export function useFrame(): FrameView | null {
  const index = useStore((s) => s.frame);
  useStore((s) => s.revision);
  return frameView(index);
}

export interface FrameView {
  sim: Simulation;
  frame: Frame;
  index: number;
}

/** The run's frame at the store's `index`, with the run and the index clamped to it. */
export function frameView(index: number): FrameView | null {
  const sim = getSim();
  if (!sim) return null;
  const i = Math.min(index, sim.frames.length - 1);
  return { sim, frame: sim.frames.get(i), index: i };
}

export function leaderOf(frame: Frame): string | null {
  let best: string | null = null;
  let term = -1;
  for (const n of frame.nodes) {
    if (n.alive && n.role === 'leader' && n.term > term) {
      best = n.id;
      term = n.term;
    }
  }
  return best;
}

/**
 * One query list and one subscribe function per query: given a new subscribe function, React
 * subscribes again on every render, and the ring renders on every frame while the cluster plays.
 */
const mediaQueries = new Map<
  string,
  { subscribe: (onChange: () => void) => () => void; matches: () => boolean }
>();
function mediaQuery(query: string) {
  let q = mediaQueries.get(query);
  if (!q) {
    const list = window.matchMedia(query);
    q = {
      subscribe: (onChange) => {
        list.addEventListener('change', onChange);
        return () => list.removeEventListener('change', onChange);
      },
      matches: () => list.matches,
    };
    mediaQueries.set(query, q);
  }
  return q;
}
const notInBrowser = () => false;

/** Whether a media query matches now; re-renders when that changes (a rotated phone, a resized window). */
export function useMedia(query: string): boolean {
  const q = mediaQuery(query);
  return useSyncExternalStore(q.subscribe, q.matches, notInBrowser);
}

/**
 * How much bigger than drawn the drawing's words must be set to keep their size on screen: an SVG
 * of `viewW` × `viewH` fitted ("meet") into a `box` smaller than that shrinks its text with it.
 * Between 1 (drawn at full size or more, or not measured yet) and `most`; rounded, so a one-pixel
 * resize does not re-render the drawing.
 */
export function textZoom(
  box: { width: number; height: number } | null,
  viewW: number,
  viewH: number,
  most: number,
): number {
  const scale = box ? Math.min(box.width / viewW, box.height / viewH) : 0;
  return scale > 0 ? Math.round(Math.min(most, Math.max(1, 1 / scale)) * 20) / 20 : 1;
}

/**
 * The content size of the element given to the returned ref, in CSS pixels, whole, as a ResizeObserver reports it (null
 * before the first report). An SVG drawn at a size in pixels is laid out only when that size
 * changes; sized in percent of a box, Chromium lays out every element in it whenever the box is.
 */
export function useBoxSize(): [(el: HTMLElement | null) => void, { width: number; height: number } | null] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    if (!el) return;
    const obs = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    });
    obs.observe(el);
    return () => obs.disconnect();
  }, [el]);
  return [setEl, size];
}

import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { HEADER, MAX_MS_PER_PX, MIN_MS_PER_PX, type Viewport } from './geometry';

/**
 * The diagram's time axis as a d3-zoom transform: d3 keeps (k, y) on the canvas and moves them by
 * its own wheel, drag and pinch gestures; x is pinned to 0 (time runs down, lanes never move).
 * `k` is pixels per millisecond, and y = HEADER − t0·k puts time `t0` right under the header.
 */
export function transformOf(v: Pick<Viewport, 't0' | 'msPerPx'>): ZoomTransform {
  const k = 1 / v.msPerPx;
  return zoomIdentity.translate(0, HEADER - v.t0 * k).scale(k);
}

export function viewOf(t: ZoomTransform): { t0: number; msPerPx: number } {
  return { t0: (HEADER - t.y) / t.k, msPerPx: 1 / t.k };
}

type Sink = (view: { t0: number; msPerPx: number }, kind: 'zoom' | 'pan') => void;

/**
 * d3-zoom on `canvas`: the wheel and a pinch zoom around the pointer, a drag pans along time.
 * Shift + wheel pans (d3-zoom has no such gesture; a mouse without a trackpad needs one), and a
 * double click is left alone: a click moves time, two would also zoom. Returns a way to tell d3
 * where the view went by other means (keys, buttons, following "now"), and a detach.
 */
export function attachZoom(canvas: HTMLCanvasElement, onView: Sink, panPx: (dy: number) => void): { sync(v: Viewport): void; detach(): void } {
  const sel = select(canvas);
  const behavior: ZoomBehavior<HTMLCanvasElement, unknown> = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([1 / MAX_MS_PER_PX, 1 / MIN_MS_PER_PX])
    // d3's own delta (a trackpad pinch comes as a ctrl + wheel) in its 2^x steps, made the e^x
    // steps of the diagram's former wheel: the same zoom per notch as before.
    .wheelDelta((e: WheelEvent) => (-e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002) * (e.ctrlKey ? 10 : 1)) / Math.LN2)
    .filter((e: Event) => (e.type === 'wheel' ? !(e as WheelEvent).shiftKey : !(e as MouseEvent).ctrlKey && !(e as MouseEvent).button))
    .constrain((t) => (t.x === 0 ? t : zoomIdentity.translate(0, t.y).scale(t.k)))
    .on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      const kind = e.transform.k !== lastK ? 'zoom' : 'pan';
      lastK = e.transform.k;
      onView(viewOf(e.transform), kind);
    });
  let lastK = (canvas as unknown as { __zoom?: ZoomTransform }).__zoom?.k ?? 1;
  sel.call(behavior).on('dblclick.zoom', null);
  const onWheel = (e: WheelEvent) => {
    if (!e.shiftKey) return;
    e.preventDefault();
    panPx(e.deltaY || e.deltaX);
  };
  canvas.addEventListener('wheel', onWheel, { passive: false });
  return {
    sync(v) {
      // Written straight onto the element, where d3-zoom keeps it: going through zoom.transform
      // would fire a zoom event back at the view that set it.
      const t = transformOf(v);
      (canvas as unknown as { __zoom: ZoomTransform }).__zoom = t;
      lastK = t.k;
    },
    detach() {
      sel.on('.zoom', null);
      canvas.removeEventListener('wheel', onWheel);
    },
  };
}

import type { DiagramFilter } from '../../replay/diagram/filters';
import type { Moment } from '../../replay/diagram/query';
import type { DiagramHighlight } from '../../replay/diagram/types';
import { diagramModelOf, exchangeFilter, useDiagram } from '../../store/diagram';
import { getSim, useStore } from '../../store/store';
import { fitTimes, HEADER, zoomAround, type Viewport } from './geometry';
import { paint, toSvg } from './prims';
import { buildScene, type Colours, type Scene } from './scene';

/** Where "now" sits while the view follows it: near the bottom, the recent past above. */
const FOLLOW_AT = 0.85;

function readColours(el: Element): Colours {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = document.documentElement.dataset.theme === 'dark';
  return {
    bg: v('--panel', '#fff'),
    text: v('--text', '#1d2330'),
    muted: v('--muted', '#6b7380'),
    grid: v('--border', '#d9dde3'),
    accent: v('--accent', '#2f6fde'),
    bad: v('--bad', '#c0392b'),
    leader: v('--leader', '#f0a30a'),
    candidate: v('--candidate', '#8e44ad'),
    follower: v('--follower', '#3d7fd9'),
    down: v('--down', '#9aa0a6'),
    halo: v('--panel', '#fff'),
    future: dark ? 'rgba(255,255,255,0.035)' : 'rgba(0,0,0,0.035)',
    cut: dark ? 'rgba(255,120,100,0.16)' : 'rgba(192,57,43,0.11)',
  };
}

/**
 * The diagram's drawing loop, outside React: the store and the view settings only ask for a
 * redraw, which happens once per animation frame at most, reading everything it needs then.
 */
export class DiagramController {
  view: Viewport = { t0: 0, msPerPx: 0.6, width: 320, height: 400 };
  follow = true;
  scene: Scene | null = null;
  canvas: HTMLCanvasElement | null = null;
  onFollow: ((follow: boolean) => void) | null = null;
  /** A causal past given to the view as a prop; else the store's `diagramHighlight` is drawn. */
  highlight: DiagramHighlight | undefined = undefined;
  /** Tells d3-zoom where the view went by other means than its gestures (set by the input hook). */
  private zoomSync: ((v: Viewport) => void) | null = null;
  private raf = 0;
  private modelMs = 0;
  private colours: { theme: string; c: Colours } | null = null;
  private exchange: { key: string; f: DiagramFilter['only'] } | null = null;

  request = (): void => {
    if (this.raf === 0) this.raf = requestAnimationFrame(this.draw);
  };

  /** Draw on `canvas` (null: stop drawing); `onFollow` hears when following "now" is switched. */
  attach(canvas: HTMLCanvasElement | null, onFollow: ((follow: boolean) => void) | null): void {
    this.canvas = canvas;
    this.onFollow = onFollow;
  }

  /** Hear of every view set other than by d3-zoom's own gestures (and of the current one now). */
  setZoomSync(sync: ((v: Viewport) => void) | null): void {
    this.zoomSync = sync;
    sync?.(this.view);
  }

  setHighlight(h: DiagramHighlight | undefined): void {
    this.highlight = h;
    this.request();
  }

  /** The canvas box's size in CSS pixels. */
  resize(width: number, height: number): void {
    this.view = { ...this.view, width: Math.max(120, width), height: Math.max(160, height) };
    this.request();
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  moment(): Moment | null {
    const sim = getSim();
    if (!sim) return null;
    const st = useStore.getState();
    const f = Math.min(st.frame, sim.frames.length - 1);
    return { time: st.time, seqEnd: sim.frames.seqEnd(f), frame: f };
  }

  setView(view: Viewport, follow = false): void {
    this.view = view;
    this.zoomSync?.(view);
    this.setFollow(follow);
    this.request();
  }

  setFollow(follow: boolean): void {
    if (this.follow !== follow) {
      this.follow = follow;
      this.onFollow?.(follow);
    }
    this.request();
  }

  zoom(factor: number, y = this.view.height * FOLLOW_AT): void {
    const v = zoomAround(this.view, factor, y);
    this.view = this.follow ? { ...this.view, msPerPx: v.msPerPx } : v;
    this.zoomSync?.(this.view);
    this.request();
  }

  /**
   * A view from d3-zoom's gestures: a zoom keeps following "now" (only the scale is taken, "now"
   * stays where it is), a pan stops following.
   */
  gesture(next: { t0: number; msPerPx: number }, kind: 'zoom' | 'pan'): void {
    if (kind === 'zoom' && this.follow) {
      this.view = { ...this.view, msPerPx: next.msPerPx };
      this.request();
    } else this.setView({ ...this.view, ...next }, false);
  }

  panPx(dy: number): void {
    this.setView({ ...this.view, t0: this.view.t0 + dy * this.view.msPerPx });
  }

  /** The whole history up to the moment drawn. */
  fitAll(): void {
    const m = this.moment();
    if (m) this.setView(fitTimes(this.view, 0, Math.max(m.time, 50)));
  }

  /** The part on screen as an SVG document. */
  exportSvg(): string | null {
    const scene = this.build();
    if (!scene) return null;
    const m = this.moment()!;
    return toSvg(scene.prims, this.view.width, this.view.height, `raftlite space-time diagram at t = ${m.time.toFixed(1)} ms`);
  }

  private filter(): DiagramFilter {
    const d = useDiagram.getState();
    let only: DiagramFilter['only'] = null;
    const sim = getSim();
    if (d.exchange !== null && sim) {
      const key = `${d.exchange}:${sim.frames.length}:${useStore.getState().revision}`;
      if (this.exchange?.key !== key) this.exchange = { key, f: exchangeFilter(sim, d.exchange) };
      only = this.exchange.f;
    }
    return { hiddenFamilies: d.hiddenFamilies, hiddenLanes: d.hiddenLanes, only };
  }

  private build(): Scene | null {
    const sim = getSim();
    const m = this.moment();
    if (!sim || !m || !this.canvas) return null;
    const theme = useStore.getState().theme;
    if (this.colours?.theme !== theme) this.colours = { theme, c: readColours(this.canvas) };
    if (this.follow) this.view = { ...this.view, t0: m.time - FOLLOW_AT * (this.view.height - HEADER) * this.view.msPerPx };
    const d = useDiagram.getState();
    const t0 = performance.now();
    const model = diagramModelOf(sim);
    this.modelMs = performance.now() - t0;
    return buildScene({
      model,
      moment: m,
      view: this.view,
      filter: this.filter(),
      hover: d.hoverMsg,
      highlight: this.highlight !== undefined ? this.highlight : d.diagramHighlight,
      colours: this.colours.c,
    });
  }

  private draw = (): void => {
    const t0 = performance.now();
    this.raf = 0;
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    const scene = this.build();
    if (!canvas || !ctx || !scene) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(this.view.width * dpr);
    const h = Math.round(this.view.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    this.zoomSync?.(this.view);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint(ctx, scene.prims);
    this.scene = scene;
    // What is drawn where, for automation (the e2e tests point at an arrow with it).
    // The marks are listed when read: a drawn mark is kept by its place in the model, made on demand.
    const hits = scene.marks;
    (canvas as HTMLCanvasElement & { diagramScene?: unknown }).diagramScene = {
      arrows: scene.arrows,
      get marks() {
        return hits.map((h) => ({ id: h.mark.id, kind: h.mark.detail.kind, x: h.x, y: h.y }));
      },
      view: this.view,
      // The last draw's script time, and how much of it brought the model up to date (the bench reads them).
      drawMs: performance.now() - t0,
      modelMs: this.modelMs,
    };
    canvas.dataset.arrows = String(scene.arrows.length);
    canvas.dataset.hover = String(useDiagram.getState().hoverMsg ?? '');
  };
}

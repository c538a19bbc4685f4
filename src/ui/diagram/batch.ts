import type { Prim } from './prims';

/**
 * Shapes gathered by style and drawn as one path each: a software-rasterized canvas pays per fill
 * and per stroke call, so two thousand glyphs of six colours cost six fills, not two thousand.
 * Polygons of `n` corners, rectangles and ring outlines; the order within one style is kept.
 */
export class Batcher {
  private readonly polys = new Map<string, { fill: string; alpha: number | undefined; n: number; pts: number[] }>();
  private readonly rects = new Map<string, { fill: string; alpha: number | undefined; xywh: number[] }>();
  private readonly rings = new Map<string, { stroke: string; alpha: number | undefined; xyr: number[] }>();
  private readonly strokes = new Map<string, { stroke: string; w: number; alpha: number | undefined; segs: number[] }>();

  poly(n: number, fill: string, alpha: number | undefined, ...pts: number[]): void {
    const key = `${n}|${fill}|${alpha}`;
    let b = this.polys.get(key);
    if (!b) this.polys.set(key, (b = { fill, alpha, n, pts: [] }));
    for (const p of pts) b.pts.push(p);
  }

  rect(fill: string, alpha: number | undefined, x: number, y: number, w: number, h: number): void {
    const key = `${fill}|${alpha}`;
    let b = this.rects.get(key);
    if (!b) this.rects.set(key, (b = { fill, alpha, xywh: [] }));
    b.xywh.push(x, y, w, h);
  }

  ring(stroke: string, alpha: number | undefined, x: number, y: number, r: number): void {
    const key = `${stroke}|${alpha}`;
    let b = this.rings.get(key);
    if (!b) this.rings.set(key, (b = { stroke, alpha, xyr: [] }));
    b.xyr.push(x, y, r);
  }

  segments(stroke: string, w: number, alpha: number | undefined, ...segs: number[]): void {
    const key = `${stroke}|${w}|${alpha}`;
    let b = this.strokes.get(key);
    if (!b) this.strokes.set(key, (b = { stroke, w, alpha, segs: [] }));
    for (const s of segs) b.segs.push(s);
  }

  /** Append one prim per style to `out`. */
  flush(out: Prim[]): void {
    for (const b of this.rects.values()) out.push({ t: 'rects', xywh: b.xywh, fill: b.fill, alpha: b.alpha });
    for (const b of this.polys.values()) out.push({ t: 'polys', n: b.n, pts: b.pts, fill: b.fill, alpha: b.alpha });
    for (const b of this.strokes.values()) out.push({ t: 'lines', segs: b.segs, stroke: b.stroke, w: b.w, alpha: b.alpha });
    for (const b of this.rings.values()) out.push({ t: 'rings', xyr: b.xyr, stroke: b.stroke, alpha: b.alpha });
  }
}

/**
 * The diagram as a display list of simple shapes in CSS pixels: painted on a canvas every frame,
 * or written out as an SVG file by the export, so the file shows exactly what was on screen.
 */
export type Prim =
  /** Many segments of one style: x1, y1, x2, y2 for each. */
  | { readonly t: 'lines'; readonly segs: readonly number[]; readonly stroke: string; readonly w: number; readonly dash?: readonly number[]; readonly alpha?: number }
  /** Many filled polygons of `n` corners and one colour: 2n numbers each. */
  | { readonly t: 'polys'; readonly n: number; readonly pts: readonly number[]; readonly fill: string; readonly alpha?: number }
  /** Many filled rectangles of one colour: x, y, w, h each. */
  | { readonly t: 'rects'; readonly xywh: readonly number[]; readonly fill: string; readonly alpha?: number }
  /** Many circle outlines of one colour: x, y, r each. */
  | { readonly t: 'rings'; readonly xyr: readonly number[]; readonly stroke: string; readonly alpha?: number }
  | { readonly t: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly stroke: string; readonly w: number; readonly dash?: readonly number[]; readonly alpha?: number }
  | { readonly t: 'poly'; readonly pts: readonly number[]; readonly fill: string; readonly alpha?: number }
  | { readonly t: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly fill: string; readonly alpha?: number }
  | { readonly t: 'circle'; readonly x: number; readonly y: number; readonly r: number; readonly fill: string | null; readonly stroke: string | null; readonly alpha?: number }
  | {
      readonly t: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly fill: string;
      readonly size: number;
      readonly anchor: 'start' | 'middle' | 'end';
      readonly bold?: boolean;
      /** Drawn over a band of this colour so it reads over lines. */
      readonly halo?: string;
      readonly alpha?: number;
    };

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

/** Paint the list on a 2D context already scaled to CSS pixels. */
export function paint(ctx: CanvasRenderingContext2D, prims: readonly Prim[]): void {
  for (const p of prims) {
    ctx.globalAlpha = p.alpha ?? 1;
    switch (p.t) {
      case 'lines':
        ctx.beginPath();
        for (let i = 0; i < p.segs.length; i += 4) {
          ctx.moveTo(p.segs[i], p.segs[i + 1]);
          ctx.lineTo(p.segs[i + 2], p.segs[i + 3]);
        }
        ctx.strokeStyle = p.stroke;
        ctx.lineWidth = p.w;
        ctx.setLineDash(p.dash ? [...p.dash] : []);
        ctx.stroke();
        break;
      case 'polys': {
        // No closePath: fill() closes every subpath itself, and closing thousands is not free.
        ctx.beginPath();
        const step = p.n * 2;
        for (let i = 0; i < p.pts.length; i += step) {
          ctx.moveTo(p.pts[i], p.pts[i + 1]);
          for (let j = 2; j < step; j += 2) ctx.lineTo(p.pts[i + j], p.pts[i + j + 1]);
        }
        ctx.fillStyle = p.fill;
        ctx.fill();
        break;
      }
      case 'rects':
        ctx.beginPath();
        for (let i = 0; i < p.xywh.length; i += 4) ctx.rect(p.xywh[i], p.xywh[i + 1], p.xywh[i + 2], p.xywh[i + 3]);
        ctx.fillStyle = p.fill;
        ctx.fill();
        break;
      case 'rings':
        ctx.beginPath();
        for (let i = 0; i < p.xyr.length; i += 3) {
          ctx.moveTo(p.xyr[i] + p.xyr[i + 2], p.xyr[i + 1]);
          ctx.arc(p.xyr[i], p.xyr[i + 1], p.xyr[i + 2], 0, Math.PI * 2);
        }
        ctx.setLineDash([]);
        ctx.strokeStyle = p.stroke;
        ctx.lineWidth = 1.5;
        ctx.stroke();
        break;
      case 'line':
        ctx.beginPath();
        ctx.moveTo(p.x1, p.y1);
        ctx.lineTo(p.x2, p.y2);
        ctx.strokeStyle = p.stroke;
        ctx.lineWidth = p.w;
        ctx.setLineDash(p.dash ? [...p.dash] : []);
        ctx.stroke();
        break;
      case 'poly':
        ctx.beginPath();
        ctx.moveTo(p.pts[0], p.pts[1]);
        for (let i = 2; i < p.pts.length; i += 2) ctx.lineTo(p.pts[i], p.pts[i + 1]);
        ctx.closePath();
        ctx.fillStyle = p.fill;
        ctx.fill();
        break;
      case 'rect':
        ctx.fillStyle = p.fill;
        ctx.fillRect(p.x, p.y, p.w, p.h);
        break;
      case 'circle':
        ctx.beginPath();
        ctx.arc(p.x, p.y, p.r, 0, Math.PI * 2);
        ctx.setLineDash([]);
        if (p.fill) {
          ctx.fillStyle = p.fill;
          ctx.fill();
        }
        if (p.stroke) {
          ctx.strokeStyle = p.stroke;
          ctx.lineWidth = 1.5;
          ctx.stroke();
        }
        break;
      case 'text':
        ctx.font = `${p.bold ? '600 ' : ''}${p.size}px ${FONT}`;
        ctx.textAlign = p.anchor === 'middle' ? 'center' : p.anchor === 'end' ? 'right' : 'left';
        ctx.textBaseline = 'middle';
        if (p.halo) {
          ctx.strokeStyle = p.halo;
          ctx.lineWidth = 3;
          ctx.setLineDash([]);
          ctx.strokeText(p.text, p.x, p.y);
        }
        ctx.fillStyle = p.fill;
        ctx.fillText(p.text, p.x, p.y);
        break;
    }
  }
  ctx.globalAlpha = 1;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n = (v: number) => +v.toFixed(2);

/** The same list as a standalone SVG document. */
export function toSvg(prims: readonly Prim[], width: number, height: number, title: string): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family='${FONT}'>`,
    `<title>${esc(title)}</title>`,
  ];
  for (const p of prims) {
    const a = p.alpha !== undefined && p.alpha < 1 ? ` opacity="${n(p.alpha)}"` : '';
    switch (p.t) {
      case 'lines': {
        const d: string[] = [];
        for (let i = 0; i < p.segs.length; i += 4) d.push(`M${n(p.segs[i])} ${n(p.segs[i + 1])}L${n(p.segs[i + 2])} ${n(p.segs[i + 3])}`);
        out.push(`<path d="${d.join('')}" fill="none" stroke="${p.stroke}" stroke-width="${p.w}"${p.dash ? ` stroke-dasharray="${p.dash.join(' ')}"` : ''}${a}/>`);
        break;
      }
      case 'polys': {
        const d: string[] = [];
        const step = p.n * 2;
        for (let i = 0; i < p.pts.length; i += step) {
          d.push(`M${n(p.pts[i])} ${n(p.pts[i + 1])}`);
          for (let j = 2; j < step; j += 2) d.push(`L${n(p.pts[i + j])} ${n(p.pts[i + j + 1])}`);
          d.push('Z');
        }
        out.push(`<path d="${d.join('')}" fill="${p.fill}"${a}/>`);
        break;
      }
      case 'rects': {
        const d: string[] = [];
        for (let i = 0; i < p.xywh.length; i += 4) d.push(`M${n(p.xywh[i])} ${n(p.xywh[i + 1])}h${n(p.xywh[i + 2])}v${n(p.xywh[i + 3])}h${n(-p.xywh[i + 2])}Z`);
        out.push(`<path d="${d.join('')}" fill="${p.fill}"${a}/>`);
        break;
      }
      case 'rings':
        for (let i = 0; i < p.xyr.length; i += 3) out.push(`<circle cx="${n(p.xyr[i])}" cy="${n(p.xyr[i + 1])}" r="${n(p.xyr[i + 2])}" fill="none" stroke="${p.stroke}" stroke-width="1.5"${a}/>`);
        break;
      case 'line':
        out.push(`<line x1="${n(p.x1)}" y1="${n(p.y1)}" x2="${n(p.x2)}" y2="${n(p.y2)}" stroke="${p.stroke}" stroke-width="${p.w}"${p.dash ? ` stroke-dasharray="${p.dash.join(' ')}"` : ''}${a}/>`);
        break;
      case 'poly':
        out.push(`<polygon points="${p.pts.map(n).join(' ')}" fill="${p.fill}"${a}/>`);
        break;
      case 'rect':
        out.push(`<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" fill="${p.fill}"${a}/>`);
        break;
      case 'circle':
        out.push(`<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(p.r)}" fill="${p.fill ?? 'none'}"${p.stroke ? ` stroke="${p.stroke}" stroke-width="1.5"` : ''}${a}/>`);
        break;
      case 'text': {
        const anchor = p.anchor === 'start' ? '' : ` text-anchor="${p.anchor}"`;
        const halo = p.halo ? ` stroke="${p.halo}" stroke-width="3" paint-order="stroke"` : '';
        out.push(`<text x="${n(p.x)}" y="${n(p.y)}" dominant-baseline="central" font-size="${p.size}"${p.bold ? ' font-weight="600"' : ''}${anchor} fill="${p.fill}"${halo}${a}>${esc(p.text)}</text>`);
        break;
      }
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

import { termColour } from './palette';

/**
 * Drawing a node's log strip on a canvas. One element per entry, at 9 nodes and 50 writes/s,
 * was the largest single part of a busy frame: React adding and removing cells, Chrome laying
 * them out and painting their text and dashed outlines (CPU per frame 23.1 → 17.8 ms with the
 * cells not drawn at all). A strip is now one canvas, and each kind of cell is drawn once into a
 * small sprite that every cell like it copies. Painted whole on every frame, the canvases won back
 * a tenth of that frame (22.5 → 20.1 ms); painting only the columns that changed (StripPainter),
 * a third (25.6 → 17.5 ms, median of 3 runs in turns with the DOM strips).
 */

/** Cell pitch in CSS px (the --cell variable); a cell is 2 px narrower, the gap between. */
export const CELL_PX = 14;
const CELL_W = CELL_PX - 2;
const CELL_H = 13;
/** Uncommitted entries (and missing ones) are drawn see-through, as `.cell`'s opacity was. */
const UNCOMMITTED_ALPHA = 0.45;

export type CellKind = 'command' | 'noop' | 'config';

/** What a cell shows: an entry, or a gap where this log lacks one the others have. */
export type StripCell =
  | { readonly kind: CellKind; readonly term: number; readonly committed: boolean; readonly conflict: boolean }
  | null;

/** The theme's colours and the page's font, read from CSS (they change with the theme). */
export interface StripStyle {
  readonly text: string;
  readonly border: string;
  readonly bad: string;
  readonly font: string;
}

export function readStripStyle(el: Element): StripStyle {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#1d2330'), border: v('--border', '#d9dde3'), bad: v('--bad', '#c0392b'), font: css.fontFamily || 'sans-serif' };
}

function roundedRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, round: boolean): void {
  ctx.beginPath();
  if (round) ctx.ellipse(x + w / 2, y + h / 2, w / 2, h / 2, 0, 0, Math.PI * 2);
  // roundRect is recent (Safari 16, Firefox 112): square corners where it is missing.
  else if (typeof ctx.roundRect === 'function') ctx.roundRect(x, y, w, h, 2);
  else ctx.rect(x, y, w, h);
}

/**
 * One cell as the DOM drew it: the term's colour (a no-op round), the term in white with a soft
 * shadow (⚙ for a configuration), an uncommitted entry's dashed outline in the text colour, a
 * conflicting one's red outline, a missing one's dashed outline in the border colour.
 */
function drawSprite(ctx: CanvasRenderingContext2D, cell: StripCell, style: StripStyle, scale: number): void {
  ctx.scale(scale, scale);
  if (cell === null) {
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = style.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, CELL_W - 1, CELL_H - 1);
    return;
  }
  roundedRect(ctx, 0, 0, CELL_W, CELL_H, cell.kind === 'noop');
  ctx.fillStyle = termColour(cell.term);
  ctx.fill();
  ctx.save();
  ctx.font = `9px ${style.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#fff';
  ctx.shadowColor = 'rgb(0 0 0 / 0.6)';
  // A shadow's blur is in device pixels, not scaled by the transform.
  ctx.shadowBlur = 2 * scale;
  ctx.fillText(cell.kind === 'config' ? '⚙' : String(cell.term), CELL_W / 2, CELL_H / 2 + 0.5, CELL_W);
  ctx.restore();
  if (cell.conflict) {
    ctx.strokeStyle = style.bad;
    ctx.lineWidth = 2;
    roundedRect(ctx, 1, 1, CELL_W - 2, CELL_H - 2, cell.kind === 'noop');
    ctx.stroke();
  } else if (!cell.committed) {
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = style.text;
    ctx.lineWidth = 1;
    roundedRect(ctx, 0.5, 0.5, CELL_W - 1, CELL_H - 1, cell.kind === 'noop');
    ctx.stroke();
  }
}

const keyOf = (c: StripCell) => (c === null ? 'gap' : `${c.kind}${c.term}${c.committed ? 'c' : ''}${c.conflict ? 'x' : ''}`);

/** Sprites a set holds before it starts over (a long run meets many terms), in rows of ATLAS_COLS. */
const MAX_SPRITES = 128;
const ATLAS_COLS = 16;

/**
 * Sprites for one scale and style (a new set when either changes), drawn side by side on one
 * canvas: a canvas and its context for each sprite cost 0.35–5.7 ms to make in Chromium, drawing
 * one more into a shared canvas 0.04–1.4 ms, and a jump to another moment of a long run (other
 * terms, other cells) made a dozen at once (67 ms of a 346-ms jump in one profile).
 */
export class CellSprites {
  /** Each sprite's place in the atlas, by its cell's key. */
  private readonly slots = new Map<string, number>();
  private atlas: HTMLCanvasElement | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  readonly w: number;
  readonly h: number;

  constructor(
    readonly scale: number,
    readonly style: StripStyle,
  ) {
    this.w = Math.max(1, Math.round(CELL_W * scale));
    this.h = Math.max(1, Math.round(CELL_H * scale));
  }

  /** Copy the sprite of `cell` into `ctx` at (x, 0), at its own size. */
  draw(ctx: CanvasRenderingContext2D, cell: StripCell, x: number): void {
    const slot = this.slot(cell);
    if (slot < 0 || !this.atlas) return;
    ctx.drawImage(this.atlas, this.sx(slot), this.sy(slot), this.w, this.h, x, 0, this.w, this.h);
  }

  private sx(slot: number): number {
    return (slot % ATLAS_COLS) * this.w;
  }

  private sy(slot: number): number {
    return Math.floor(slot / ATLAS_COLS) * this.h;
  }

  /** The slot holding `cell`'s sprite, drawn there first if it is not yet; -1 without a 2D context. */
  private slot(cell: StripCell): number {
    const key = keyOf(cell);
    const held = this.slots.get(key);
    if (held !== undefined) return held;
    if (!this.ctx) {
      this.atlas = document.createElement('canvas');
      this.atlas.width = ATLAS_COLS * this.w;
      this.atlas.height = (MAX_SPRITES / ATLAS_COLS) * this.h;
      this.ctx = this.atlas.getContext('2d');
      if (!this.ctx) return -1;
    }
    const ctx = this.ctx;
    if (this.slots.size >= MAX_SPRITES) {
      // The strips keep what they were painted with: only sprites still to copy are drawn again.
      this.slots.clear();
      ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    }
    const slot = this.slots.size;
    ctx.save();
    // Clipped to its place, as its own canvas clipped it: a text's soft shadow stays in its cell.
    ctx.beginPath();
    ctx.rect(this.sx(slot), this.sy(slot), this.w, this.h);
    ctx.clip();
    ctx.translate(this.sx(slot), this.sy(slot));
    drawSprite(ctx, cell, this.style, this.scale);
    ctx.restore();
    this.slots.set(key, slot);
    return slot;
  }
}

/** Sprites by style and scale: the strips of a page draw at one scale in one style, so they share them. */
const made = new WeakMap<StripStyle, Map<number, CellSprites>>();

/** Sprites for `scale` and `style`: the same object for every strip that asks with the same ones. */
export function spritesFor(scale: number, style: StripStyle): CellSprites {
  let byScale = made.get(style);
  if (!byScale) made.set(style, (byScale = new Map()));
  let sprites = byScale.get(scale);
  if (!sprites) {
    // A few scales at most (a move to another screen, a zoom): past that, start over.
    if (byScale.size >= 4) byScale.clear();
    byScale.set(scale, (sprites = new CellSprites(scale, style)));
  }
  return sprites;
}

/**
 * What a strip's canvas shows, column by column (sprite keys), so that a frame draws only the
 * columns that changed: as a log grows under a steady leader most cells are the same committed
 * entry of the same term, so a shift by one changes a few columns, not the strip.
 */
export class StripPainter {
  private shown: string[] = [];
  private sprites: CellSprites | null = null;
  private width = -1;

  /** Draw `cells` (the first at column `col0`) with `sprites`, `columns` columns in all. */
  paint(canvas: HTMLCanvasElement, sprites: CellSprites, col0: number, columns: number, cells: readonly StripCell[]): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const w = Math.max(1, Math.round(columns * CELL_PX * sprites.scale));
    // Setting a canvas's size clears it, so only when it changes.
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== sprites.h) canvas.height = sprites.h;
    if (sprites !== this.sprites || canvas.width !== this.width) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      this.shown = [];
      this.sprites = sprites;
      this.width = canvas.width;
    }
    const pitch = CELL_PX * sprites.scale;
    const x = (col: number) => Math.round(col * pitch);
    for (let col = 0; col < columns; col++) {
      const k = col - col0;
      const cell = k >= 0 && k < cells.length ? cells[k] : undefined;
      const key = cell === undefined ? '' : keyOf(cell);
      if (this.shown[col] === key) continue;
      this.shown[col] = key;
      ctx.clearRect(x(col), 0, x(col + 1) - x(col), canvas.height);
      if (cell === undefined) continue;
      ctx.globalAlpha = cell?.committed ? 1 : UNCOMMITTED_ALPHA;
      sprites.draw(ctx, cell, x(col));
    }
    ctx.globalAlpha = 1;
  }
}

/** The column a pointer at `clientX` is over, for a strip of `columns` columns. */
export function columnAt(canvas: HTMLCanvasElement, clientX: number, columns: number): number {
  const r = canvas.getBoundingClientRect();
  return r.width > 0 ? Math.floor(((clientX - r.left) / r.width) * columns) : -1;
}

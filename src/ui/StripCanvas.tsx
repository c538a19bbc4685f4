import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { CELL_PX, columnAt, readStripStyle, spritesFor, StripPainter, type StripCell, type StripStyle } from './logCanvas';

/** The theme's colours for the strips, read again whenever the page's theme or scale changes. */
export function useStripStyle(): StripStyle {
  const [style, setStyle] = useState<StripStyle>(() => readStripStyle(document.body));
  useEffect(() => {
    const read = () => {
      const next = readStripStyle(document.body);
      setStyle((s) => (s.text === next.text && s.border === next.border && s.bad === next.bad && s.font === next.font ? s : next));
    };
    read();
    // The theme is an attribute the App sets after its children render: watched, not read once.
    const obs = new MutationObserver(read);
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => obs.disconnect();
  }, []);
  return style;
}

/**
 * Device pixels per CSS pixel of `el`'s box: the screen's ratio times any CSS zoom (presenter
 * mode, large screens). Read from the box's size on screen rather than the observer's device-pixel
 * size, which an emulated pixel ratio (the end-to-end tests' screenshots) leaves at 1. The box's
 * CSS width is read from the element too, never from a render's props: when the strip widened, an
 * observer set up for the old width saw the new box first and took the stretch for a zoom (41 / 36
 * columns: every strip drew twice more, at a wrong scale for a frame).
 */
function useDeviceScale(el: HTMLCanvasElement | null): number {
  const [scale, setScale] = useState(() => (typeof devicePixelRatio === 'number' ? devicePixelRatio : 1));
  useEffect(() => {
    if (!el) return;
    const read = () => {
      const shown = el.getBoundingClientRect().width;
      const css = parseFloat(el.style.width);
      const next = devicePixelRatio * (shown > 0 && css > 0 ? shown / css : 1);
      setScale((s) => (Math.abs(s - next) < 1e-3 ? s : next));
    };
    const obs = new ResizeObserver(read);
    obs.observe(el);
    // Moved to a screen with another pixel ratio, or the page zoomed (watched again for the new ratio: `scale` changed).
    const dpr = matchMedia(`(resolution: ${devicePixelRatio}dppx)`);
    dpr.addEventListener('change', read);
    return () => {
      obs.disconnect();
      dpr.removeEventListener('change', read);
    };
  }, [el, scale]);
  return scale;
}

interface Props {
  /** What to draw, the first at column `col0`. */
  cells: readonly StripCell[];
  col0: number;
  columns: number;
  style: StripStyle;
  /** The cell under a column, said for the tooltip; null where there is none. */
  describe: (column: number) => string | null;
  pick: (column: number) => void;
}

/** A strip's cells, drawn (logCanvas.ts); the keyboard's stop and a tour's marks are elements above it. */
export function StripCanvas({ cells, col0, columns, style, describe, pick }: Props) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const [el, setEl] = useState<HTMLCanvasElement | null>(null);
  const setRef = useCallback((c: HTMLCanvasElement | null) => {
    ref.current = c;
    setEl(c);
  }, []);
  const cssWidth = columns * CELL_PX;
  const scale = useDeviceScale(el);
  const sprites = useMemo(() => spritesFor(scale, style), [scale, style]);
  const [painter] = useState(() => new StripPainter());
  useLayoutEffect(() => {
    if (ref.current) painter.paint(ref.current, sprites, col0, columns, cells);
  }, [painter, cells, col0, columns, sprites]);
  const hovered = useRef(-1);
  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const col = columnAt(e.currentTarget, e.clientX, columns);
    if (col === hovered.current) return;
    hovered.current = col;
    // Set on the element, not through React: a tooltip is no reason to render the strip.
    e.currentTarget.title = describe(col) ?? '';
  };
  return (
    <canvas
      ref={setRef}
      className="strip-canvas"
      aria-hidden="true"
      style={{ width: cssWidth }}
      onMouseMove={onMove}
      onMouseLeave={() => (hovered.current = -1)}
      onClick={(e) => {
        e.stopPropagation();
        pick(columnAt(e.currentTarget, e.clientX, columns));
      }}
    />
  );
}

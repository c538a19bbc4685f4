import { useCallback, useRef, useState, type PointerEvent, type RefObject } from 'react';
import type { Point } from '../layout';

export interface Drag {
  id: string;
  at: Point;
}

/** Pointer travel (in view units) before a press on a node counts as a drag rather than a click. */
const THRESHOLD = 6;

function toView(svg: SVGSVGElement, e: PointerEvent): Point {
  const m = svg.getScreenCTM();
  if (!m) return { x: 0, y: 0 };
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}

/**
 * Dragging a node in the cluster view. A press that moves less than THRESHOLD is still a click
 * (select the node); a real drag reports where it ended and swallows the click that follows.
 */
export function useNodeDrag(
  svgRef: RefObject<SVGSVGElement | null>,
  onDrop: (id: string, at: Point) => void,
) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const press = useRef<{ id: string; start: Point; moved: boolean; pointer: number } | null>(null);
  const swallowClick = useRef(false);

  const onNodePointerDown = useCallback(
    (id: string, e: PointerEvent) => {
      const svg = svgRef.current;
      if (!svg || e.button !== 0) return;
      // No text selection or native drag-and-drop of labels: either would swallow the pointer moves.
      e.preventDefault();
      press.current = { id, start: toView(svg, e), moved: false, pointer: e.pointerId };
    },
    [svgRef],
  );

  const onPointerMove = useCallback(
    (e: PointerEvent<SVGSVGElement>) => {
      const p = press.current;
      const svg = svgRef.current;
      if (!p || !svg || e.pointerId !== p.pointer) return;
      const at = toView(svg, e);
      if (!p.moved && Math.hypot(at.x - p.start.x, at.y - p.start.y) < THRESHOLD) return;
      if (!p.moved) svg.setPointerCapture(e.pointerId);
      p.moved = true;
      setDrag({ id: p.id, at });
    },
    [svgRef],
  );

  const onPointerUp = useCallback(
    (e: PointerEvent<SVGSVGElement>) => {
      const p = press.current;
      press.current = null;
      const svg = svgRef.current;
      if (!p || !svg || !p.moved) return;
      swallowClick.current = true;
      // The click (if the browser sends one) comes in the same turn; later clicks are real ones.
      setTimeout(() => (swallowClick.current = false), 0);
      setDrag(null);
      onDrop(p.id, toView(svg, e));
    },
    [svgRef, onDrop],
  );

  const onPointerCancel = useCallback(() => {
    press.current = null;
    setDrag(null);
  }, []);

  /** True once after a drag: the click the browser sends at its end is not a selection. */
  const consumeClick = useCallback(() => {
    const was = swallowClick.current;
    swallowClick.current = false;
    return was;
  }, []);

  return {
    drag,
    onNodePointerDown,
    svgHandlers: { onPointerMove, onPointerUp, onPointerCancel },
    consumeClick,
  };
}

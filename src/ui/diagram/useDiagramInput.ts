import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useDiagram } from '../../store/diagram';
import { useStore } from '../../store/store';
import type { DiagramController } from './controller';
import { timeAt } from './geometry';
import { hitTest, type HitArrow, type HitMark } from './scene';

/** Beyond this many pixels a press is a drag (a pan), not a click. */
const CLICK_SLOP = 4;

export interface Tip {
  readonly x: number;
  readonly y: number;
  readonly arrow: HitArrow | null;
  readonly mark: HitMark | null;
}

/**
 * Zoom and pan by hand (d3-zoom's gestures without d3-zoom): the wheel zooms around the pointer,
 * a drag pans along time, two fingers pinch; a click moves time to where it landed; hovering an
 * arrow lights its message everywhere. Keys: ↑/↓ pan, +/− zoom, Home fits the whole history,
 * End follows "now" again.
 */
export function useDiagramInput(ctl: DiagramController, canvas: HTMLCanvasElement | null) {
  const [tip, setTip] = useState<Tip | null>(null);

  useEffect(() => {
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      if (e.shiftKey) ctl.panPx(e.deltaY);
      else ctl.zoom(Math.exp(e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), e.clientY - r.top);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [ctl, canvas]);

  const pressRef = useRef({ pointers: new Map<number, { x: number; y: number }>(), startY: 0, startX: 0, moved: false, pinch: 0 });

  const local = (e: PointerEvent) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    const press = pressRef.current;
    const p = local(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    press.pointers.set(e.pointerId, p);
    if (press.pointers.size === 1) {
      press.startX = p.x;
      press.startY = p.y;
      press.moved = false;
    } else if (press.pointers.size === 2) {
      const [a, b] = [...press.pointers.values()];
      press.pinch = Math.abs(a.y - b.y) || 1;
      press.moved = true;
    }
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const press = pressRef.current;
    const p = local(e);
    const prev = press.pointers.get(e.pointerId);
    if (prev) {
      press.pointers.set(e.pointerId, p);
      if (press.pointers.size === 2) {
        const [a, b] = [...press.pointers.values()];
        const span = Math.abs(a.y - b.y) || 1;
        ctl.zoom(press.pinch / span, (a.y + b.y) / 2);
        press.pinch = span;
        return;
      }
      if (!press.moved && Math.hypot(p.x - press.startX, p.y - press.startY) > CLICK_SLOP) press.moved = true;
      if (press.moved) {
        ctl.panPx(prev.y - p.y);
        setTip(null);
        return;
      }
    }
    const scene = ctl.scene;
    if (!scene) return;
    const hit = hitTest(scene, p.x, p.y);
    useDiagram.getState().setHoverMsg(hit.arrow ? hit.arrow.msgId : null);
    setTip(hit.arrow || hit.mark ? { x: p.x, y: p.y, arrow: hit.arrow, mark: hit.mark } : null);
  };

  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const press = pressRef.current;
    const wasClick = press.pointers.size === 1 && !press.moved;
    press.pointers.delete(e.pointerId);
    if (!wasClick) return;
    const p = local(e);
    useStore.getState().seekTime(timeAt(ctl.view, p.y));
  };

  const onPointerLeave = () => {
    setTip(null);
    useDiagram.getState().setHoverMsg(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = ctl.view.height * 0.2;
    const keys: Record<string, () => void> = {
      ArrowUp: () => ctl.panPx(-page),
      ArrowDown: () => ctl.panPx(page),
      '+': () => ctl.zoom(1 / 1.5),
      '=': () => ctl.zoom(1 / 1.5),
      '-': () => ctl.zoom(1.5),
      Home: () => ctl.fitAll(),
      End: () => ctl.setFollow(true),
    };
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    k();
  };

  return { tip, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp, onPointerLeave }, onKeyDown };
}

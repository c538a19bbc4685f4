import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { useDiagram } from '../../store/diagram';
import { useStore } from '../../store/store';
import type { DiagramController } from './controller';
import { timeAt } from './geometry';
import { hitTest, type HitArrow, type HitMark } from './scene';
import { attachZoom } from './zoomGesture';

export interface Tip {
  readonly x: number;
  readonly y: number;
  readonly arrow: HitArrow | null;
  readonly mark: HitMark | null;
}

/**
 * The diagram's input. d3-zoom owns the gestures (the wheel and a pinch zoom around the pointer, a
 * drag pans along time; see zoomGesture.ts) and hands each new view to the controller, which draws
 * it on the next animation frame: no React state changes while zooming. A click moves time to where
 * it landed (d3-zoom swallows the click that ends a drag); hovering an arrow lights its message
 * everywhere. Keys: ↑/↓ pan, +/− zoom, Home fits the whole history, End follows "now" again.
 */
export function useDiagramInput(ctl: DiagramController, canvas: HTMLCanvasElement | null) {
  const [tip, setTipState] = useState<Tip | null>(null);
  // Only a tip that is shown is taken down: a zoom frame changes no React state.
  const shown = useRef(false);
  const setTip = (t: Tip | null) => {
    if (t === null && !shown.current) return;
    shown.current = t !== null;
    setTipState(t);
  };

  useEffect(() => {
    if (!canvas) return;
    const z = attachZoom(
      canvas,
      (view, kind) => {
        ctl.gesture(view, kind);
        setTip(null);
      },
      (dy) => ctl.panPx(dy),
    );
    ctl.setZoomSync(z.sync);
    return () => {
      ctl.setZoomSync(null);
      z.detach();
    };
  }, [ctl, canvas]);

  const local = (e: PointerEvent | MouseEvent) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    // A drag in progress is d3-zoom's pan.
    if (e.buttons !== 0) return;
    const scene = ctl.scene;
    if (!scene) return;
    const p = local(e);
    const hit = hitTest(scene, p.x, p.y);
    useDiagram.getState().setHoverMsg(hit.arrow ? hit.arrow.msgId : null);
    setTip(hit.arrow || hit.mark ? { x: p.x, y: p.y, arrow: hit.arrow, mark: hit.mark } : null);
  };

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    useStore.getState().seekTime(timeAt(ctl.view, local(e).y));
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

  return { tip, handlers: { onPointerMove, onClick, onPointerLeave }, onKeyDown };
}

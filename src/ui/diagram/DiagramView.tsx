import { useEffect, useState } from 'react';
import { describeMark, describeMessage } from '../../replay/describe';
import type { DiagramHighlight } from '../../replay/diagram/types';
import { diagramModelOf, useDiagram } from '../../store/diagram';
import { getSim, useStore } from '../../store/store';
import { fmtTime } from '../format';
import { DiagramController } from './controller';
import { DiagramControls } from './DiagramControls';
import { useDiagramInput, type Tip } from './useDiagramInput';
import './diagram.css';

/**
 * The space-time diagram: one lane per server, time running down, every message an arrow from its
 * send to its delivery (a cross where a lost one was lost, a dot where one still in flight is
 * now). Drawn on a canvas, only what is in view, once per animation frame at most.
 */
export function DiagramView({ diagramHighlight }: { diagramHighlight?: DiagramHighlight } = {}) {
  const [ctl] = useState(() => new DiagramController());
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const [follow, setFollow] = useState(true);
  const { tip, handlers, onKeyDown } = useDiagramInput(ctl, canvas);

  // An event's causal past, drawn distinctly: from this prop, or else from the store's field.
  useEffect(() => ctl.setHighlight(diagramHighlight), [ctl, diagramHighlight]);

  useEffect(() => {
    ctl.attach(canvas, setFollow);
    if (!canvas) return;
    const box = canvas.parentElement!;
    const ro = new ResizeObserver(() => {
      const r = box.getBoundingClientRect();
      ctl.resize(r.width, r.height);
    });
    ro.observe(box);
    const unsubs = [useStore.subscribe(ctl.request), useDiagram.subscribe(ctl.request)];
    ctl.request();
    return () => {
      ro.disconnect();
      unsubs.forEach((u) => u());
      ctl.dispose();
    };
  }, [ctl, canvas]);

  return (
    <section className="diagram-view" data-testid="diagram-view" aria-label="Space-time diagram">
      <DiagramControls ctl={ctl} follow={follow} />
      <div className="diagram-box">
        <canvas
          ref={setCanvas}
          className="diagram-canvas"
          data-testid="diagram-canvas"
          tabIndex={0}
          role="img"
          aria-label="Space-time diagram: one column per server, time running down, messages as arrows. Arrow keys pan, plus and minus zoom, Home shows the whole run, End follows now; click to move time there."
          onKeyDown={onKeyDown}
          {...handlers}
        />
        {tip && <DiagramTip tip={tip} />}
      </div>
    </section>
  );
}

function DiagramTip({ tip }: { tip: Tip }) {
  const sim = getSim();
  let text = '';
  if (tip.arrow && sim) {
    const a = diagramModelOf(sim).arrow(tip.arrow.msgId);
    if (a) {
      const fate = a.end === 'dropped' ? `lost (${a.reason}) at ${fmtTime(a.endAt)}` : a.end === 'delivered' ? `delivered at ${fmtTime(a.endAt)}` : `due at ${fmtTime(a.endAt)}`;
      text = `${describeMessage(a.msg)} — sent at ${fmtTime(a.sentAt)}, ${fate}${a.duplicate ? ' (the network duplicated it)' : ''}`;
    }
  } else if (tip.mark) {
    text = `${fmtTime(tip.mark.mark.time)}: ${describeMark(tip.mark.mark.lane, tip.mark.mark.detail)}`;
  }
  if (!text) return null;
  return (
    <div className="diagram-tip" role="tooltip" data-testid="diagram-tip" style={{ left: Math.max(4, tip.x - 120), top: tip.y + 14 }}>
      {text}
    </div>
  );
}

import { familyOf } from '../../replay/diagram/filters';
import type { SimEvent } from '../../replay/simulation';
import { diagramModelOf, useDiagram } from '../../store/diagram';
import { getSim, useStore } from '../../store/store';
import type { DiagramController } from './controller';
import { DiagramFilters } from './DiagramFilters';

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A delivery of a message kind the diagram shows (heartbeats and their acks hidden by default). */
function acceptShown(e: SimEvent): boolean {
  const sim = getSim();
  if (!sim || (e.kind !== 'deliver' && e.kind !== 'drop')) return false;
  const a = diagramModelOf(sim).arrow(e.msgId);
  const d = useDiagram.getState();
  return a !== undefined && !d.hiddenFamilies.has(familyOf(a)) && !d.hiddenLanes.has(a.from) && !d.hiddenLanes.has(a.to);
}

/**
 * Step by message, zoom, follow, export and the filters, above the diagram. (The step buttons sit
 * here rather than in the toolbar: two more buttons there wrap it onto a second line at 1280 px.)
 */
export function DiagramControls({ ctl, follow }: { ctl: DiagramController; follow: boolean }) {
  const exchange = useDiagram((s) => s.exchange);
  return (
    <div className="diagram-controls">
      <button onClick={() => useStore.getState().stepMessage(-1, acceptShown)} title="Step back to the previous message delivery (shown in the diagram's filter)" aria-label="◂ msg: previous delivery" data-testid="step-msg-back">
        ◂ msg
      </button>
      <button onClick={() => useStore.getState().stepMessage(1, acceptShown)} title="Step to the next message delivery (shown in the diagram's filter)" aria-label="msg ▸: next delivery" data-testid="step-msg-forward">
        msg ▸
      </button>
      <button onClick={() => ctl.zoom(1.6)} aria-label="Zoom out" title="Zoom out (−, or the wheel)" data-testid="diagram-zoom-out">
        −
      </button>
      <button onClick={() => ctl.zoom(1 / 1.6)} aria-label="Zoom in" title="Zoom in (+, or the wheel)" data-testid="diagram-zoom-in">
        +
      </button>
      <button onClick={() => ctl.fitAll()} title="The whole run so far (Home)" data-testid="diagram-fit">
        Whole run
      </button>
      <button onClick={() => ctl.setFollow(!follow)} aria-pressed={follow} title="Keep now in view (End)" data-testid="diagram-follow">
        Follow now
      </button>
      <DiagramFilters />
      <button
        onClick={() => {
          const svg = ctl.exportSvg();
          if (svg) download(svg, `raftlite-diagram-${Math.round(useStore.getState().time)}ms.svg`);
        }}
        title="Download what is on screen as an SVG file"
        data-testid="diagram-export"
      >
        Export SVG
      </button>
      {exchange !== null && <span className="diagram-only">only request #{exchange}</span>}
    </div>
  );
}

import { useStore } from '../../store/store';
import { useDiagram } from '../../store/diagram';
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

/** Zoom, follow, export and the filters, above the diagram. */
export function DiagramControls({ ctl, follow }: { ctl: DiagramController; follow: boolean }) {
  const exchange = useDiagram((s) => s.exchange);
  return (
    <div className="diagram-controls">
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

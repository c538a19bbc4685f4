import { WelcomeHint } from './tour/WelcomeHint';
import { useEffect } from 'react';
import { HelpOverlay } from './HelpOverlay';
import { pageKey, useHelp } from './keys';
import { LiveNarrator } from './LiveNarrator';
import { startPlayLoop } from '../store/loop';
import { useStore } from '../store/store';
import { ClusterView } from './ClusterView';
import { DiagramView } from './diagram/DiagramView';
import { ViewToggle } from './diagram/ViewToggle';
import { useDiagram } from '../store/diagram';
import { Inspector } from './Inspector';
import { LogStrips } from './LogStrips';
import { BrokenBanner } from './SafetyAlerts';
import { Notice } from './Notice';
import { SqlConsole } from './SqlConsole';
import { StatusLine } from './StatusLine';
import { Timeline } from './Timeline';
import { Toolbar } from './Toolbar';
import { TourPanel } from './tour/TourPanel';
import './App.css';

/**
 * The page's keys are for the page: not while a control, the editor or a dialog has the focus
 * (space presses a focused button, arrows move in a select or a slider, letters go to the editor).
 */
export function keyBelongsToControl(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  if (t instanceof HTMLElement && t.isContentEditable) return true;
  return t.closest('input, textarea, select, button, a[href], summary, [role=button], [role=tab], [role=dialog], [role=slider], .cm-editor') !== null;
}

/** The page: controls and timeline on top, the cluster and its logs left, console and inspector right. */
export function App() {
  const status = useStore((s) => s.status);
  const error = useStore((s) => s.error);
  const theme = useStore((s) => s.theme);
  const presenter = useStore((s) => s.presenter);
  const help = useHelp((s) => s.open);
  const layout = useDiagram((s) => s.layout);

  useEffect(() => startPlayLoop(), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (presenter) document.documentElement.dataset.presenter = '';
    else delete document.documentElement.dataset.presenter;
  }, [presenter]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (pageKey(e, useHelp.getState().toggle)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (status === 'loading') return <div className="splash">Loading SQLite (WebAssembly)…</div>;
  if (status === 'error') return <div className="splash bad">Could not start: {error}</div>;
  return (
    <div className="app" data-testid="app">
      <Toolbar />
      <BrokenBanner />
      <Timeline />
      <main className="main">
        <TourPanel />
        <div className="left">
          <StatusLine />
          <WelcomeHint />
          <ViewToggle />
          {/* The ring, the space-time diagram, or both: they read the same moment and highlight the same message. */}
          <div className={`cluster-area layout-${layout}`}>
            {layout !== 'diagram' && <ClusterView />}
            {layout !== 'ring' && <DiagramView />}
          </div>
          {/* The strips scroll sideways when the window is narrower than the log: keyboard users scroll them too. */}
          <div className="log-scroll" tabIndex={0} role="region" aria-label="Logs">
            <LogStrips />
          </div>
        </div>
        <div className="right">
          <SqlConsole />
          <Inspector />
        </div>
      </main>
      <Notice />
      <LiveNarrator />
      {help && <HelpOverlay onClose={useHelp.getState().close} />}
    </div>
  );
}

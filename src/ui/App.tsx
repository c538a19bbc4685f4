import { WelcomeHint } from './tour/WelcomeHint';
import { useEffect } from 'react';
import { HelpOverlay } from './HelpOverlay';
import { pageKey, useHelp } from './keys';
import { LiveNarrator } from './LiveNarrator';
import { startPlayLoop } from '../store/loop';
import { useStore } from '../store/store';
import { ClusterView } from './ClusterView';
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
 * A clicker's PageUp / PageDown mean nothing to a button, a link or a tab, so those do not keep
 * them: a lecturer who clicked Next with the mouse can still page on with the clicker. Fields,
 * lists, sliders, the editor and dialogs do (they page or scroll with them).
 */
export function keyBelongsToControl(t: EventTarget | null, key = ''): boolean {
  if (!(t instanceof Element)) return false;
  if (t instanceof HTMLElement && t.isContentEditable) return true;
  if (key === 'PageUp' || key === 'PageDown') return t.closest('input, textarea, select, [role=dialog], [role=slider], [role=listbox], .cm-editor') !== null;
  return t.closest('input, textarea, select, button, a[href], summary, [role=button], [role=tab], [role=dialog], [role=slider], .cm-editor') !== null;
}

/** The page: controls and timeline on top, the cluster and its logs left, console and inspector right. */
export function App() {
  const status = useStore((s) => s.status);
  const error = useStore((s) => s.error);
  const theme = useStore((s) => s.theme);
  const presenter = useStore((s) => s.presenter);
  const help = useHelp((s) => s.open);

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
      if (e.defaultPrevented || keyBelongsToControl(e.target, e.key) || e.ctrlKey || e.metaKey || e.altKey) return;
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
          <ClusterView />
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

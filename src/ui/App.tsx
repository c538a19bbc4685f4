import { WelcomeHint } from './tour/WelcomeHint';
import { useEffect } from 'react';
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

function typingInField(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/** The page: controls and timeline on top, the cluster and its logs left, console and inspector right. */
export function App() {
  const status = useStore((s) => s.status);
  const error = useStore((s) => s.error);
  const theme = useStore((s) => s.theme);

  useEffect(() => startPlayLoop(), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useStore.getState();
      if (e.key === ' ') s.togglePlay();
      else if (e.key === 'ArrowRight') s.stepForward();
      else if (e.key === 'ArrowLeft') s.stepBack();
      else return;
      e.preventDefault();
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
    </div>
  );
}

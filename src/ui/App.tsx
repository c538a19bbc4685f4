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
import { RestoreScreen } from './session/RestoreScreen';
import './App.css';

/**
 * The page's keys are for the page, not for a control that uses them: fields, lists, sliders, the
 * editor and dialogs keep every key (arrows move in a select, letters go to the editor). A button,
 * a link or a tab keeps Space and Enter (they press it); other keys mean nothing to it, so they
 * stay with it only when the keyboard put the focus there, not the pointer (`pointed`, the element
 * last pressed with a mouse or a finger): a lecturer who clicked Play and then presses K means the
 * page. A clicker's PageUp / PageDown go to the page past any button.
 */
export function keyBelongsToControl(t: EventTarget | null, key = '', pointed: Element | null = null): boolean {
  if (!(t instanceof Element)) return false;
  if (t instanceof HTMLElement && t.isContentEditable) return true;
  if (t.closest('input, textarea, select, [role=dialog], [role=slider], [role=listbox], .cm-editor')) return true;
  const pressable = t.closest('button, a[href], summary, [role=button], [role=tab]');
  if (!pressable) return false;
  if (key === ' ' || key === 'Enter') return true;
  if (key === 'PageUp' || key === 'PageDown') return false;
  return !(pointed && pressable.contains(pointed));
}

/** The page: controls and timeline on top, the cluster and its logs left, console and inspector right. */
export function App() {
  const status = useStore((s) => s.status);
  const error = useStore((s) => s.error);
  const theme = useStore((s) => s.theme);
  const presenter = useStore((s) => s.presenter);
  const help = useHelp((s) => s.open);
  const layout = useDiagram((s) => s.layout);
  const restoring = useStore((s) => s.restoring);

  useEffect(() => startPlayLoop(), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (presenter) document.documentElement.dataset.presenter = '';
    else delete document.documentElement.dataset.presenter;
  }, [presenter]);
  useEffect(() => {
    // (:focus-visible cannot tell: a key pressed on a clicked button makes it match.)
    let pointed: Element | null = null;
    const onPointer = (e: PointerEvent) => {
      pointed = e.target instanceof Element ? e.target : null;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Tab') pointed = null;
      // Mid-restore the cluster is not on screen: its keys would act on the run being replaced.
      if (useStore.getState().restoring) return;
      if (e.defaultPrevented || keyBelongsToControl(e.target, e.key, pointed) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (pageKey(e, useHelp.getState().toggle)) e.preventDefault();
    };
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  if (status === 'loading') return <div className="splash">Loading SQLite (WebAssembly)…</div>;
  if (status === 'error') return <div className="splash bad">Could not start: {error}</div>;
  if (restoring) return <RestoreScreen {...restoring} />;
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

import { useState } from 'react';
import { useStore } from '../store/store';
import { fmtTime } from './format';
import { frameAt } from './hooks';
import { Icon } from './Icon';
import { useHelp } from './keys';
import { NewClusterDialog } from './NewClusterDialog';
import { ChaosButton } from './chaos/ChaosButton';
import { ScenarioButton } from './scenario/ScenarioButton';
import { SessionMenu } from './session/SessionMenu';
import { TourPicker } from './tour/TourPicker';
import './Toolbar.css';

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10];

/** The simulated time on screen: drawn every frame while playing, so a component of its own. */
function Clock() {
  const time = useStore((s) => s.time);
  return (
    <span className="clock" data-testid="clock" title="Simulated time">
      {/* Its own layout root (Toolbar.css): the text changes every frame. */}
      <span className="clock-text">t = {fmtTime(time)}</span>
    </span>
  );
}

/** The servers drawn now (joins add to the cluster the run started with), and the seed. */
function ClusterMeta() {
  const options = useStore((s) => s.options);
  // A number, not the frame: drawn again when a server joins or leaves, not every frame.
  const frameNodes = useStore((s) => frameAt(s.frame)?.nodes.length ?? null);
  return (
    <span className="meta">
      {frameNodes ?? options.nodes} nodes · seed {options.seed}
    </span>
  );
}

/**
 * Play, pause, step, speed and the clock. What changes every frame is drawn by Clock and
 * ClusterMeta: the toolbar itself (its tour list, menus and buttons) is drawn again only when
 * playing, speed, theme or presenter mode change.
 */
export function Toolbar() {
  const playing = useStore((s) => s.playing);
  const speed = useStore((s) => s.speed);
  const theme = useStore((s) => s.theme);
  const presenter = useStore((s) => s.presenter);
  const { togglePlay, stepBack, stepForward, stepInteresting, setSpeed, setTheme, setPresenter } =
    useStore.getState();
  const [dialog, setDialog] = useState(false);
  return (
    <header className="toolbar">
      <h1 className="brand">raftlite</h1>
      <button
        onClick={stepBack}
        title="Step one event back (←)"
        aria-label="Step back"
        data-testid="step-back"
      >
        <Icon name="back" />
      </button>
      <button className="primary" onClick={togglePlay} title="Play / pause (space)" data-testid="play">
        <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : 'Play'}
      </button>
      <button
        onClick={stepForward}
        title="Step one event forward (→)"
        aria-label="Step forward"
        data-testid="step-forward"
      >
        <Icon name="forward" />
      </button>
      <button
        onClick={stepInteresting}
        title="Step to the next event that is not a heartbeat (N)"
        data-testid="step-next-event"
      >
        Next event
      </button>
      <label className="speed">
        <span className="speed-word">speed</span>
        <select
          value={speed}
          onChange={(e) => setSpeed(Number(e.target.value))}
          aria-label="speed"
          data-testid="speed"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <Clock />
      <span className="spacer" />
      <TourPicker />
      <ClusterMeta />
      <ScenarioButton />
      <ChaosButton />
      <SessionMenu />
      <button onClick={() => setDialog(true)} data-testid="new-cluster">
        New cluster…
      </button>
      <button
        onClick={() => setPresenter(!presenter)}
        aria-pressed={presenter}
        title="Presenter mode: large type, the console tucked away (F; or ?present in the address)"
        data-testid="presenter"
      >
        Present
      </button>
      <button onClick={useHelp.getState().toggle} title="Keys (?)" aria-label="Keys" data-testid="help">
        ?
      </button>
      <button
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        title="Switch theme"
        aria-label={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        data-testid="theme"
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      {dialog && <NewClusterDialog onClose={() => setDialog(false)} />}
    </header>
  );
}

import { useState } from 'react';
import { TOUR_LIST } from '../../store/tours/list';
import { useStore } from '../../store/store';
import { useTour } from '../../store/tours/runner';
import { Icon } from '../Icon';

const KEY = 'raftlite.welcomed';

function seen(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return true;
  }
}

/**
 * One line for a first visit: where to begin. A first visit opens paused at 0 ms (the first election
 * used to be over before the page could be read), so until something has happened it invites the
 * learner to press Play or take tour 1; then it says what they are watching. It covers nothing and
 * goes for good once a tour starts or it is dismissed.
 */
export function WelcomeHint() {
  const [hidden, setHidden] = useState(seen);
  const touring = useTour((s) => s.tour !== null);
  const start = useTour((s) => s.start);
  const atStart = useStore((s) => !s.playing && s.time === 0);
  if (hidden || touring) return null;
  const first = TOUR_LIST[0];
  const dismiss = () => {
    try {
      localStorage.setItem(KEY, '1');
    } catch {
      // private mode: it simply shows again next time
    }
    setHidden(true);
  };
  return (
    <div className="welcome-hint" data-testid="welcome-hint" data-at-start={atStart}>
      {atStart ? (
        <span>
          New to Raft? These servers are waiting, paused at 0 ms. Press <b>Play</b> (or Space) to watch them elect a leader, slowly, or let the first
          guided tour explain each step.
        </span>
      ) : (
        <span>
          New to Raft? The servers below elect a leader and copy its log as you watch. Start with the first guided tour, or click a node, type SQL on
          the right, and see what happens.
        </span>
      )}
      {atStart && (
        <button className="primary" data-testid="welcome-play" onClick={() => useStore.getState().play()}>
          <Icon name="play" /> Play
        </button>
      )}
      <button
        className={atStart ? undefined : 'primary'}
        data-testid="welcome-start"
        title={first.title}
        onClick={() => {
          dismiss();
          start(first.id);
        }}
      >
        Start tour 1 ▸
      </button>
      <button onClick={dismiss} data-testid="welcome-dismiss" title="Hide this for good" aria-label="Hide this hint for good">
        ×
      </button>
    </div>
  );
}

import { useState } from 'react';
import { TOURS } from '../../store/tours/catalog';
import { useTour } from '../../store/tours/runner';

const KEY = 'raftlite.welcomed';

function seen(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return true;
  }
}

/**
 * One line for a first visit: where to begin. It does not cover anything (the cluster keeps running
 * behind it) and goes for good once a tour starts or it is dismissed.
 */
export function WelcomeHint() {
  const [hidden, setHidden] = useState(seen);
  const touring = useTour((s) => s.tour !== null);
  const start = useTour((s) => s.start);
  if (hidden || touring) return null;
  const first = TOURS[0];
  const dismiss = () => {
    try {
      localStorage.setItem(KEY, '1');
    } catch {
      // private mode: it simply shows again next time
    }
    setHidden(true);
  };
  return (
    <div className="welcome-hint" data-testid="welcome-hint">
      <span>
        New to Raft? The servers below elect a leader and copy its log as you watch. Start with the first guided tour, or click a node, type
        SQL on the right, and see what happens.
      </span>
      <button
        className="primary"
        data-testid="welcome-start"
        title={first.title}
        onClick={() => {
          dismiss();
          start(first.id);
        }}
      >
        Start tour 1 ▸
      </button>
      <button onClick={dismiss} data-testid="welcome-dismiss" title="Hide this for good">
        ×
      </button>
    </div>
  );
}

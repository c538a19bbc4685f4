import { create } from 'zustand';
import { useStore } from '../store/store';
import { useTour } from '../store/tours/runner';
import { frameAt, leaderOf } from './hooks';

/** The page's keys, RaftScope's for a lecture and a clicker's PageUp / PageDown; `?` lists them. */
export const KEYS: { keys: string; what: string }[] = [
  { keys: 'Space', what: 'play / pause' },
  { keys: '← / →', what: 'step one event back / forward' },
  { keys: 'N or Shift+→', what: 'step to the next event that is not a heartbeat' },
  { keys: 'K', what: 'kill (crash) the leader' },
  { keys: 'R', what: 'restart a crashed server' },
  { keys: 'P', what: 'partition the leader away from the rest' },
  { keys: 'H', what: 'heal the network' },
  { keys: 'C', what: 'a client write (an INSERT sent to the leader)' },
  { keys: 'T', what: 'time a server out now (the selected one, else a follower)' },
  { keys: 'F', what: 'presenter mode on / off' },
  { keys: 'PageUp / PageDown', what: 'the tour’s Back / Next (a presentation clicker)' },
  { keys: '?', what: 'this list' },
  { keys: 'Esc', what: 'close a dialog or this list' },
];

/** Whether the list of keys is open (the `?` key and the toolbar's ? button share it). */
export const useHelp = create<{ open: boolean; toggle(): void; close(): void }>()((set) => ({
  open: false,
  toggle: () => set((s) => ({ open: !s.open })),
  close: () => set({ open: false }),
}));

let clientWrites = 0;

/**
 * Act on a key pressed on the page (not in a control). Returns true when the key was the page's.
 * `toggleHelp` opens or closes the list of keys.
 */
export function pageKey(e: KeyboardEvent, toggleHelp: () => void): boolean {
  const s = useStore.getState();
  const frame = frameAt(s.frame);
  const leader = frame ? leaderOf(frame) : null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case ' ':
      s.togglePlay();
      return true;
    case 'ArrowRight':
      if (e.shiftKey) s.stepInteresting();
      else s.stepForward();
      return true;
    case 'ArrowLeft':
      s.stepBack();
      return true;
    case 'n':
      s.stepInteresting();
      return true;
    case 'k':
      if (leader) s.act({ kind: 'kill', node: leader });
      else s.setNotice('No leader to kill right now.');
      return true;
    case 'r': {
      const down = frame?.nodes.find((n) => !n.alive && n.membership !== 'removed');
      if (down) s.act({ kind: 'restart', node: down.id });
      else s.setNotice('Every server is up: nothing to restart.');
      return true;
    }
    case 'p':
      if (leader) s.act({ kind: 'isolate', node: leader });
      else s.setNotice('No leader to cut off right now.');
      return true;
    case 'h':
      s.act({ kind: 'heal' });
      return true;
    case 'c': {
      clientWrites++;
      if (leader) s.setSettings({ node: leader });
      s.submit(`CREATE TABLE IF NOT EXISTS clicks (n INTEGER);\nINSERT INTO clicks (n) VALUES (${clientWrites})`);
      return true;
    }
    case 't': {
      const chosen = frame?.nodes.find((n) => n.id === s.selected && n.alive && n.role !== 'leader');
      const target = chosen ?? frame?.nodes.find((n) => n.alive && n.role !== 'leader' && n.membership === 'voter');
      if (target) s.act({ kind: 'timeoutNow', node: target.id });
      return true;
    }
    case 'f':
      s.setPresenter(!s.presenter);
      return true;
    case '?':
      toggleHelp();
      return true;
    case 'PageDown': {
      const t = useTour.getState();
      if (!t.tour) return false;
      // As the Next button: not before the step's task is done (while it plays, Next skips to its end).
      if (t.taskDone) t.next();
      return true;
    }
    case 'PageUp': {
      const t = useTour.getState();
      if (!t.tour) return false;
      t.previous();
      return true;
    }
    default:
      return false;
  }
}

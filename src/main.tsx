import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { loadSqlJs } from './db/sqljs';
import { startSession } from './store/session';
import { useTour } from './store/tours/runner';
import { useStore } from './store/store';
import './ui/base.css';
import { App } from './ui/App';

declare global {
  interface Window {
    /** The store, for benchmarks and curious learners in the devtools console. */
    raftlite: typeof useStore;
  }
}
window.raftlite = useStore;

void useStore
  .getState()
  .init(() => loadSqlJs(wasmUrl))
  .then(() => startSession())
  // A reload mid-tour restored the run just above: carry on with the tour at its step.
  .then(() => useTour.getState().resume());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

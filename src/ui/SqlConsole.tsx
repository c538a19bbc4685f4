import { Suspense, useEffect, useMemo, useState } from 'react';
import { readSchema } from '../replay/databases';
import { answersBy } from '../store/frameSearch';
import { getSim, useStore } from '../store/store';
import { ConsoleSettings } from './ConsoleSettings';
import { frameAt, leaderOf } from './hooks';
import { LoadBoundary, useRetryableLazy } from './LoadBoundary';
import { usePaced } from './pace';
import { ResultView } from './ResultView';
import { RUN_EVENT } from './runEvent';
import './SqlConsole.css';
import './SqlEditor.css';

/** The longest the editor's completion waits for the page to be idle before it reads the schema. */
const SCHEMA_WAIT_MS = 250;

/** Answers shown at first (the newest), and how many more each "show earlier" adds. */
const NEWEST = 30;
const EARLIER = 100;

/** Send SQL to any node with rqlite's options, and read the answers. */
export function SqlConsole() {
  // A string, not the frame: the console re-renders when the leader or the node list changes, not
  // on every animation frame (at 50 writes/s that was a tenth of the page's CPU).
  const nodesKey = useStore((st) => {
    const frame = frameAt(st.frame);
    return frame ? `${leaderOf(frame) ?? ''}|${frame.nodes.map((n) => n.id).join(',')}` : '|';
  });
  const [leaderKey, idsKey] = nodesKey.split('|');
  const leader = leaderKey === '' ? null : leaderKey;
  // The same array while the node list is unchanged, so the memoised settings row is not drawn again.
  const ids = useMemo(() => (idsKey === '' ? [] : idsKey.split(',')), [idsKey]);
  // The answers are redrawn at most every PACE_MS while playing (pace.ts).
  const entries = usePaced((s) => s.entries);
  // CodeMirror is the largest part of the bundle: loaded after the cluster is on screen.
  const { Part: SqlEditor, retry } = useRetryableLazy('The SQL editor', () => import('./SqlEditor').then((m) => m.SqlEditor));
  const [editorFailed, setEditorFailed] = useState(false);
  const submit = useStore((s) => s.submit);
  const revision = useStore((s) => s.revision);
  // A long class session keeps every answer: the newest are drawn, and earlier ones on request.
  const [shown, setShown] = useState(NEWEST);
  // A number, not the clock: the console re-renders when an answer becomes visible, not every frame.
  // Counted by a binary search of the run's answers (in the order they came, so by time): counting
  // the console's entries scanned 20,000 of them every frame of a long class session.
  const answeredCount = usePaced((s) => answersBy(getSim()?.answers ?? [], s.time));
  // The tables and columns the editor completes, read when the page is next idle: a fork or a jump
  // to another leader's moment opens that node's database to read them (about 6 ms a fork at
  // minute 30 of a 9-node run), and nobody types in the instant after one.
  const [schema, setSchema] = useState<Record<string, string[]>>({});
  useEffect(() => {
    const read = () => {
      const sim = getSim();
      setSchema(sim ? readSchema(sim, leader) : {});
    };
    if (typeof requestIdleCallback !== 'function') {
      const t = setTimeout(read, 0);
      return () => clearTimeout(t);
    }
    const id = requestIdleCallback(read, { timeout: SCHEMA_WAIT_MS });
    return () => cancelIdleCallback(id);
    // The databases are mutable; what changes their schema is a statement being answered (the
    // console's, a tour's or a scenario's), a new leader, or a new run.
  }, [leader, answeredCount, revision]);
  return (
    <section className="sql-console" data-testid="sql-console">
      <ConsoleSettings ids={ids} leader={leader} />
      {/* A column-reverse scroller keeps its bottom in view as results arrive, with no script: scrolling
          from an effect read the layout, a forced reflow per answer at 50 writes/s. */}
      <div className="console-results" data-testid="sql-results">
        <div className="console-list">
          {entries.length === 0 && <p className="hint">Results appear here. Ctrl+Enter runs; ↑/↓ walk the history.</p>}
          {entries.length > shown && (
            <button className="console-earlier" onClick={() => setShown((n) => n + EARLIER)} data-testid="console-earlier">
              Show {Math.min(EARLIER, entries.length - shown)} earlier ({(entries.length - shown).toLocaleString('en-US')} not shown)
            </button>
          )}
          {entries.slice(-shown).map((e) => (
            <ResultView key={e.id} entry={e} />
          ))}
        </div>
      </div>
      <div className="console-input">
        {editorFailed ? (
          <button
            className="sql-editor loading"
            data-testid="sql-editor-retry"
            onClick={() => {
              retry();
              setEditorFailed(false);
            }}
          >
            The SQL editor did not load: try again
          </button>
        ) : (
          <LoadBoundary onFail={() => setEditorFailed(true)}>
            <Suspense fallback={<div className="sql-editor loading">Loading the SQL editor…</div>}>
              <SqlEditor schema={schema} history={entries} onRun={submit} />
            </Suspense>
          </LoadBoundary>
        )}
        <button className="primary run" data-testid="sql-run" onClick={() => document.dispatchEvent(new CustomEvent(RUN_EVENT))}>
          Run
        </button>
      </div>
    </section>
  );
}

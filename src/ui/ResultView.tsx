import { memo, useState } from 'react';
import { explainProblem } from '../cluster/errors';
import type { ResultSet } from '../replay/databases';
import { getSim, useStore, type ConsoleEntry } from '../store/store';
import { fmtTime } from './format';

function cell(v: unknown): string {
  if (v === null) return 'NULL';
  if (v instanceof Uint8Array) return `x'${[...v].map((b) => b.toString(16).padStart(2, '0')).join('')}'`;
  return String(v);
}

function ResultTable({ r }: { r: ResultSet }) {
  if (r.error) return <p className="sql-error">SQLite error: {r.error}</p>;
  if (!r.columns) {
    return (
      <p className="sql-ok">
        {r.rows_affected ?? 0} row{r.rows_affected === 1 ? '' : 's'} affected{r.last_insert_id ? ` · last insert id ${r.last_insert_id}` : ''}
      </p>
    );
  }
  return (
    <table className="result" data-testid="result-table">
      <thead>
        <tr>
          {r.columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(r.values ?? []).map((row, i) => (
          <tr key={i}>
            {row.map((v, j) => (
              <td key={j}>{cell(v)}</td>
            ))}
          </tr>
        ))}
        {(r.values ?? []).length === 0 && (
          <tr>
            <td colSpan={r.columns.length} className="muted">
              no rows
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Trace({ e }: { e: ConsoleEntry }) {
  const a = e.answer;
  if (!a) return null;
  const parts = [`sent to ${e.node}`];
  if (a.via && a.via !== a.node) parts.push(`forwarded to leader ${a.node}`);
  else if (a.ok) parts.push(`served by ${a.node}`);
  if (a.ok && a.index !== undefined) {
    parts.push(`committed at index ${a.index}`);
    const applied = getSim()?.applies.get(a.index) ?? [];
    if (applied.length > 0) parts.push(`applied: ${applied.map((x) => `${x.node} @ ${fmtTime(x.time)}`).join(', ')}`);
  }
  parts.push(`answered at ${fmtTime(e.answeredAt ?? 0)} (${fmtTime((e.answeredAt ?? 0) - e.sentAt)} after sending)`);
  return <p className="trace">{parts.join(' → ')}</p>;
}

interface Props {
  entry: ConsoleEntry;
}

/** One request and its answer: rows as a table, errors in plain words, and the path it took. */
export const ResultView = memo(function ResultView({ entry: e }: Props) {
  const [raw, setRaw] = useState(false);
  // The answer is shown once the picture reaches the moment it arrived, not when the simulation computed it.
  const ready = useStore((s) => e.answer !== null && e.answeredAt !== null && e.answeredAt <= s.time);
  const a = ready ? e.answer : null;
  const kind = e.op.op === 'query' ? `query · ${e.op.req.level}` : `execute${e.op.req.transaction ? ' · transaction' : ''}${e.op.req.queue ? ' · queued' : ''}`;
  return (
    <div className={`result-entry${a ? (a.ok ? ' ok' : ' failed') : ' pending'}${e.forgotten ? ' forgotten' : ''}`} data-testid="result-entry" data-state={a ? (a.ok ? 'ok' : 'error') : 'pending'}>
      <div className="result-head">
        <code>{e.sql}</code>
        <span className="muted">
          {kind} → {e.node} @ {fmtTime(e.sentAt)}
        </span>
        {a && (
          <button className="link-button" onClick={() => setRaw(!raw)}>
            {raw ? 'table' : 'JSON'}
          </button>
        )}
      </div>
      {e.forgotten && <p className="muted">This request belonged to a future that was discarded when you changed the past.</p>}
      {!a && !e.forgotten && <p className="muted">waiting for the cluster…</p>}
      {a && !a.ok && <p className="sql-error">{explainProblem(a.problem)}</p>}
      {a && a.ok && (raw ? <pre className="raw">{JSON.stringify(a.result, null, 2)}</pre> : (a.result.results as ResultSet[]).map((r, i) => <ResultTable key={i} r={r} />))}
      {a && <Trace e={{ ...e, answer: a }} />}
    </div>
  );
});

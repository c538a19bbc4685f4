import { memo, useState } from 'react';
import { explainProblem } from '../cluster/errors';
import type { ResultSet } from '../replay/databases';
import { getSim, useStore, type ConsoleEntry } from '../store/store';
import { fmtTime } from './format';
import { frameAt } from './hooks';
import { usePaced } from './pace';
import { toJson } from '../db/json';
import { WhyButton } from './why/WhyButton';

function cell(v: unknown): string {
  if (v === null) return 'NULL';
  if (v instanceof Uint8Array) return `x'${[...v].map((b) => b.toString(16).padStart(2, '0')).join('')}'`;
  return String(v);
}

export function ResultTable({ r, rolledBack }: { r: ResultSet; rolledBack: boolean }) {
  if (r.error) return <p className="sql-error">SQLite error: {r.error}</p>;
  if (!r.columns) {
    const affected = `${r.rows_affected ?? 0} row${r.rows_affected === 1 ? '' : 's'} affected`;
    if (rolledBack) return <p className="muted">{affected}, then rolled back: nothing of it was kept</p>;
    return (
      <p className="sql-ok">
        {affected}
        {r.last_insert_id ? ` · last insert id ${r.last_insert_id}` : ''}
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
  const ready = usePaced((s) => e.answer !== null && e.answeredAt !== null && e.answeredAt <= s.time);
  const a = ready ? e.answer : null;
  const kind = e.op.op === 'query' ? `query · ${e.op.req.level}` : `execute${e.op.req.transaction ? ' · transaction' : ''}${e.op.req.queue ? ' · queued' : ''}`;
  const results = a && a.ok ? (a.result.results as ResultSet[]) : [];
  const failedAt = results.findIndex((r) => r.error !== undefined);
  // Any statement error makes the answer an error, even though the request itself went through.
  const failed = a !== null && (!a.ok || failedAt >= 0);
  const rolledBack = failedAt >= 0 && e.op.op === 'execute' && e.op.req.transaction;
  return (
    <div className={`result-entry${a ? (failed ? ' failed' : ' ok') : ' pending'}${e.forgotten ? ' forgotten' : ''}`} data-testid="result-entry" data-state={a ? (failed ? 'error' : 'ok') : 'pending'}>
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
      {a && !a.ok && (
        <p className="sql-error">
          {explainProblem(a.problem)}{' '}
          <WhyButton
            label={`Why did ${a.node} refuse this request?`}
            target={() => {
              const st = useStore.getState();
              const frame = frameAt(st.frame);
              if (!frame) return null;
              return { kind: 'answer', node: a.node, sentTo: e.node, problem: a.problem, sentAt: e.sentAt, answeredAt: e.answeredAt ?? st.time, before: frame.seqEnd };
            }}
            testId="answer-why"
          />
        </p>
      )}
      {rolledBack && (
        <p className="sql-error" data-testid="rolled-back">
          Rolled back: statement {failedAt + 1} of {e.op.req.statements.length} failed, so none of this transaction was kept.
        </p>
      )}
      {a && a.ok && failedAt >= 0 && !rolledBack && (
        <p className="sql-error">
          Statement {failedAt + 1} of {e.op.req.statements.length} failed; the others were applied (not a transaction).
        </p>
      )}
      {a && a.ok && (raw ? <pre className="raw">{toJson(a.result, 2)}</pre> : results.map((r, i) => <ResultTable key={i} r={r} rolledBack={rolledBack} />))}
      {a && <Trace e={{ ...e, answer: a }} />}
    </div>
  );
});

import { useMemo, useState } from 'react';
import { readTables, rowKey, type TableData } from '../replay/databases';
import { getSim, useStore } from '../store/store';
import { leaderOf } from './hooks';
import { usePacedFrame } from './pace';

function cell(v: unknown): string {
  return v === null ? 'NULL' : v instanceof Uint8Array ? `<${v.length} bytes>` : String(v);
}

/** A node's database, with rows the leader does not have (or has differently) highlighted. */
export function TableBrowser() {
  // A text panel: redrawn at most every PACE_MS while playing (pace.ts).
  const f = usePacedFrame();
  const selected = useStore((s) => s.selected);
  const revision = useStore((s) => s.revision);
  const [picked, setPicked] = useState<string | null>(null);
  const leader = f ? leaderOf(f.frame) : null;
  const node = picked ?? selected ?? leader ?? 'n1';
  const nodeView = f?.frame.nodes.find((n) => n.id === node);
  const leaderView = f?.frame.nodes.find((n) => n.id === leader);
  const stamp = `${nodeView?.lastApplied}:${nodeView?.alive}:${leaderView?.lastApplied}:${revision}`;
  const data = useMemo(() => {
    const sim = getSim();
    if (!sim) return null;
    const mine = readTables(sim, node);
    const theirs = leader && leader !== node ? readTables(sim, leader) : null;
    return { mine, theirs };
    // `stamp` captures what changes the two databases.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [node, leader, stamp]);
  if (!f) return null;
  const behind = leaderView && nodeView ? leaderView.lastApplied - nodeView.lastApplied : 0;
  return (
    <div className="table-browser" data-testid="table-browser">
      <div className="tb-head">
        <select value={node} onChange={(e) => setPicked(e.target.value)} data-testid="tb-node">
          {f.frame.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.id}
              {n.id === leader ? ' (leader)' : ''}
            </option>
          ))}
        </select>
        <span className="muted">
          applied up to {nodeView?.lastApplied ?? '?'}
          {behind > 0 && ` · ${behind} behind the leader`}
        </span>
      </div>
      {!data?.mine && <p className="hint">{node} is down: its database lives in memory and comes back from the snapshot and log on restart.</p>}
      {data?.mine?.length === 0 && <p className="hint">No tables yet. Try CREATE TABLE in the console.</p>}
      {data?.mine?.map((t) => <TableView key={t.name} table={t} leader={data.theirs?.find((x) => x.name === t.name) ?? null} compare={data.theirs !== null} />)}
    </div>
  );
}

function TableView({ table, leader, compare }: { table: TableData; leader: TableData | null; compare: boolean }) {
  const leaderRows = leader ? new Set(leader.rows.map(rowKey)) : null;
  const mine = new Set(table.rows.map(rowKey));
  const missing = leader ? leader.rows.filter((r) => !mine.has(rowKey(r))).length : 0;
  return (
    <div className="tb-table">
      <h4>
        {table.name} <span className="muted">({table.rows.length} rows{compare && missing > 0 ? `, ${missing} the leader has are missing here` : ''})</span>
      </h4>
      <table className="result">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => {
            const differs = compare && (!leaderRows || !leaderRows.has(rowKey(r)));
            return (
              <tr key={i} className={differs ? 'differs' : ''} title={differs ? 'the leader does not have this row' : undefined}>
                {r.map((v, j) => (
                  <td key={j}>{cell(v)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

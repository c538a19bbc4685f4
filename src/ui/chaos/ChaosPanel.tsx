import { useMemo, useState } from 'react';
import { explainVerdict } from '../../check/chaos/explain';
import type { LevelVerdict, RunOutcome } from '../../check/chaos/verdict';
import { READ_LEVELS, defaultChaosOptions } from '../../drive/chaos/types';
import type { ReadLevel } from '../../cluster/types';
import { runChaosInPage, useChaosResult, watchChaos } from '../../store/chaos';
import { useStore } from '../../store/store';
import { ChaosTimeline, OP_COLOURS, type TimelineFocus } from './ChaosTimeline';
import './chaos.css';
import '../dialog.css';
import { useDialog } from '../useDialog';
import { formatMs } from '../../sim/duration';

const STORMS: { label: string; every: number }[] = [
  { label: 'calm', every: 500 },
  { label: 'stormy', every: 250 },
  { label: 'hurricane', every: 120 },
];

/** The summary's colour: an undecided run is not shown as a pass (RunOutcome). */
const SUMMARY_TONE: Record<RunOutcome, string> = { pass: 'good', undecided: 'undecided', fail: 'bad' };

const PROMISE: Record<ReadLevel, string> = {
  none: 'may be stale: served by any node from its own copy',
  weak: 'may be stale: a deposed leader can still answer',
  strong: 'must be linearizable: the read goes through the log',
  linearizable: 'must be linearizable: ReadIndex confirms leadership',
};

function VerdictCard({ v, selected, onSelect }: { v: LevelVerdict; selected: boolean; onSelect(): void }) {
  const guaranteed = v.level === 'strong' || v.level === 'linearizable';
  const tone = v.result === 'ok' ? 'pass' : v.result === 'unknown' ? 'undecided' : guaranteed ? 'bug' : 'lesson';
  return (
    <button className={`verdict ${tone} ${selected ? 'selected' : ''}`} onClick={onSelect} data-testid={`chaos-verdict-${v.level}`} data-result={v.result}>
      <span className="swatch" style={{ background: OP_COLOURS[v.level] }} />
      <strong>{v.level}</strong>
      <span className="result">{v.result === 'ok' ? '✓ linearizable' : v.result === 'illegal' ? (v.staleRead ? '✗ stale read' : '✗ not linearizable') : '? undecided'}</span>
      <span className="detail">
        {v.reads} reads · {PROMISE[v.level]}
      </span>
    </button>
  );
}

/** Run a bounded chaos test in the page and show what the clients saw and what the checker says. */
export function ChaosPanel({ onClose }: { onClose(): void }) {
  const dialogRef = useDialog<HTMLElement>(onClose);
  const current = useStore((s) => s.options);
  const [seed, setSeed] = useState(current.seed);
  const [nodes, setNodes] = useState(current.nodes);
  const [ops, setOps] = useState(defaultChaosOptions.ops);
  const [every, setEvery] = useState(defaultChaosOptions.faultEvery);
  const [levels, setLevels] = useState<ReadLevel[]>([...READ_LEVELS]);
  const [phase, setPhase] = useState<string | null>(null);
  const [inView, setInView] = useState(true);
  const result = useChaosResult((s) => s.result);
  const setResult = useChaosResult((s) => s.set);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<ReadLevel | null>(() => result?.verdict.levels.find((v) => v.result === 'illegal')?.level ?? null);

  const run = async () => {
    setError(null);
    setResult(null);
    try {
      const r = await runChaosInPage({ seed, nodes, ops, faultEvery: every, levels }, inView, setPhase);
      setResult(r);
      setPicked(r.verdict.levels.find((v) => v.result === 'illegal')?.level ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPhase(null);
    }
  };

  const chosen = result?.verdict.levels.find((v) => v.level === picked) ?? null;
  const focus = useMemo((): TimelineFocus | null => {
    if (!chosen || !result) return null;
    const marked = new Set<number>(chosen.stuck);
    const notes = new Map<number, { text: string; align: 'start' | 'end' }>();
    const stale = chosen.staleRead;
    if (stale) {
      marked.add(stale.read);
      marked.add(stale.overwrittenBy);
      notes.set(stale.read, { text: 'stale read', align: 'start' });
      notes.set(stale.overwrittenBy, { text: 'overwrote it', align: 'start' });
      if (stale.wroteIt !== null) {
        marked.add(stale.wroteIt);
        notes.set(stale.wroteIt, { text: 'wrote it', align: 'end' });
      }
    }
    return { marked, notes, inLevel: (op) => op.req.f !== 'read' ? chosen.key === null || op.key === chosen.key : op.req.level === chosen.level && (chosen.key === null || op.key === chosen.key) };
  }, [chosen, result]);

  const toggleLevel = (l: ReadLevel) => setLevels((ls) => (ls.includes(l) ? ls.filter((x) => x !== l) : READ_LEVELS.filter((x) => x === l || ls.includes(x))));
  const r = result?.run;
  const unknown = r?.history.filter((o) => o.outcome.status === 'unknown').length ?? 0;
  const failed = r?.history.filter((o) => o.outcome.status === 'fail').length ?? 0;

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <section ref={dialogRef} role="dialog" aria-modal="true" aria-label="Chaos mode" className="wide-dialog chaos-panel" data-testid="chaos-panel" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Chaos mode</h2>
          <span className="hint">Clients read and write keys of <code>kv(k, v)</code> while nodes crash, the network splits, loses and duplicates messages, and members leave and rejoin. Then every read level is checked for linearizability.</span>
          <button onClick={onClose} aria-label="Close" data-testid="chaos-close">
            ✕
          </button>
        </header>
        <div className="controls">
          <label>
            seed
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} data-testid="chaos-seed" />
          </label>
          <NumberChoice label="nodes" value={nodes} choices={[3, 5, 7]} onChange={setNodes} testId="chaos-nodes" />
          <NumberChoice label="operations" value={ops} choices={[40, 80, 160]} onChange={setOps} testId="chaos-ops" />
          <label>
            faults
            <select value={every} onChange={(e) => setEvery(Number(e.target.value))} data-testid="chaos-storm" title={STORMS.map((x) => `${x.label}: a fault every ~${x.every} ms`).join('\n')}>
              {STORMS.map((s) => (
                <option key={s.every} value={s.every}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>read levels</legend>
            {READ_LEVELS.map((l) => (
              <label key={l} className="level">
                <input type="checkbox" checked={levels.includes(l)} onChange={() => toggleLevel(l)} data-testid={`chaos-level-${l}`} />
                {l}
              </label>
            ))}
          </fieldset>
          <label title="Run it on a fresh cluster in the main view (replacing the current run) so it can be watched, scrubbed and shared; otherwise run it headless">
            <input type="checkbox" checked={inView} onChange={(e) => setInView(e.target.checked)} data-testid="chaos-in-view" />
            in the view
          </label>
          <button className="primary" onClick={() => void run()} disabled={phase !== null || levels.length === 0} data-testid="chaos-run">
            {phase !== null ? 'Running…' : 'Run chaos'}
          </button>
        </div>
        {phase && <p className="phase">{phase}</p>}
        {error && <p className="bad">Chaos run failed: {error}</p>}
        {result && r && (
          <>
            <p
              className={`summary ${SUMMARY_TONE[result.verdict.outcome]}`}
              data-testid="chaos-summary"
              data-ok={result.verdict.ok}
              data-outcome={result.verdict.outcome}
              data-seed={r.options.seed}
            >
              {result.verdict.outcome === 'undecided' && (
                <>
                  <strong>Undecided, not a pass:</strong> the checker ran out of its step budget on strong/linearizable reads ·{' '}
                </>
              )}
              {r.history.length} operations ({unknown} unknown, {failed} refused) under {r.faults.length} faults ·{' '}
              {r.violations.length === 0 ? 'no safety violations' : `${r.violations.length} SAFETY VIOLATIONS`} ·{' '}
              {r.converged && r.hashesAgree ? 'converged: every node holds the same database' : 'did NOT converge to one database'} · checked in {formatMs(result.ms)} ·{' '}
              <code>npm run chaos -- --seed-start {r.options.seed} --seeds 1 --nodes {r.options.nodes} --ops {r.options.ops}
                {r.options.faultEvery !== defaultChaosOptions.faultEvery ? ` --fault-every ${r.options.faultEvery}` : ''}
                {r.options.levels.length < READ_LEVELS.length ? ` --levels ${r.options.levels.join(',')}` : ''}
              </code>
              {result.inView && (
                <button
                  className="watch"
                  onClick={() => {
                    watchChaos(r);
                    onClose();
                  }}
                  data-testid="chaos-watch"
                >
                  ▶ Watch it in the cluster view
                </button>
              )}
            </p>
            <div className="verdicts">
              {result.verdict.levels.map((v) => (
                <VerdictCard key={v.level} v={v} selected={picked === v.level} onSelect={() => setPicked(picked === v.level ? null : v.level)} />
              ))}
            </div>
            {chosen && (
              <div className={`explanation ${chosen.result === 'illegal' ? 'anomaly' : ''}`} data-testid="chaos-explanation">
                <p>{explainVerdict(r.history, chosen)}</p>
                {chosen.explanation && (
                  <details>
                    <summary>What the checker found</summary>
                    <pre>{chosen.explanation}</pre>
                  </details>
                )}
              </div>
            )}
            <ChaosTimeline history={r.history} faults={r.faults} clients={r.options.clients} end={r.faultsEnd} focus={focus} />
            <p className="chaos-legend">
              {(['write', ...r.options.levels] as const).map((k) => (
                <span key={k}>
                  <span className="swatch" style={{ background: OP_COLOURS[k] }} /> {k === 'write' ? 'write / update / cas' : `read (${k})`}
                </span>
              ))}
              <span>
                <span className="swatch open" /> outcome unknown (may take effect any time later)
              </span>
              <span>
                <span className="swatch marked" /> where the checker got stuck
              </span>
            </p>
          </>
        )}
      </section>
    </div>
  );
}

function NumberChoice({ label, value, choices, onChange, testId }: { label: string; value: number; choices: number[]; onChange: (n: number) => void; testId: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {choices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

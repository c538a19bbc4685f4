import { useEffect, useRef } from 'react';
import type { Invariant } from '../check/safety';
import { BROKEN_MODES, brokenModesOf } from '../store/brokenModes';
import { MAX_REPORTS, type InvariantStatus } from '../replay/safetyRecord';
import { loadPart } from '../store/loadPart';
import { useStore } from '../store/store';
import { fmtTime } from './format';
import { usePacedFrame } from './pace';
import { citationHref, type PaperPart } from '../store/tours/paper';
import { WhyButton } from './why/WhyButton';
import './safety.css';

/** Figure 3 of the Raft paper in plain words, with the section that argues each property. */
const RULES: Record<Invariant, { text: string; section: PaperPart }> = {
  'Election Safety': { text: 'At most one leader is elected in any one term.', section: '§5.2' },
  'Leader Append-Only': { text: 'A leader only adds entries to its log; it never overwrites or deletes its own.', section: '§5.3' },
  'Log Matching': { text: 'If two logs hold an entry with the same index and term, they agree on every entry before it.', section: '§5.3' },
  'Leader Completeness': { text: 'An entry committed in some term is in the log of every leader of a later term.', section: '§5.4' },
  'State Machine Safety': { text: 'Once a node has applied an entry at an index, no node ever applies a different one there.', section: '§5.4.3' },
};

function InvariantRow({ s }: { s: InvariantStatus }) {
  const seekEvent = useStore((st) => st.seekEvent);
  const rule = RULES[s.invariant];
  const v = s.first;
  const later = s.later;
  return (
    <li className={v ? 'violated' : 'holds'} data-testid="safety-invariant" data-invariant={s.invariant} data-state={v ? 'violated' : 'holds'}>
      <div className="safety-head">
        <span className="safety-state">{v ? '✗ violated' : '✓ holds'}</span>
        <strong>{s.invariant}</strong>
        <a href={citationHref({ doc: 'paper', part: rule.section })} target="_blank" rel="noopener noreferrer" title="Where the Raft paper argues this property">
          {rule.section}
        </a>
      </div>
      <p className="safety-rule">{rule.text}</p>
      {v && (
        <div className="safety-broke" data-testid="safety-violation">
          <p>
            {v.detail}. First seen at t = {fmtTime(v.at)}, event {v.event}
            {s.count > 1 ? ` (reported ${s.count} times so far${s.count >= MAX_REPORTS ? `; the monitor keeps ${MAX_REPORTS} reports` : ''})` : ''}.
          </p>
          <button onClick={() => seekEvent(v.event)} data-testid="safety-jump">
            Jump to where it broke
          </button>{' '}
          <WhyButton
            label={`Why did ${v.invariant} break? The chain of decisions that led there`}
            target={() => ({ kind: 'violation', invariant: v.invariant, node: v.node, seq: v.event })}
            testId="safety-why"
          />
        </div>
      )}
      {!v && later && (
        <p className="safety-later">
          This run breaks it later, at t = {fmtTime(later.at)} (event {later.event}).{' '}
          <button onClick={() => seekEvent(later.event)} data-testid="safety-jump-later">
            Jump there
          </button>
        </p>
      )}
    </li>
  );
}

/** Run one of the broken-mode scenario files in the page so the monitor has a bug to catch. */
function Demos() {
  const setNotice = useStore((s) => s.setNotice);
  return (
    <div className="safety-demos">
      <span>Show me:</span>
      {BROKEN_MODES.map((m) => (
        <button
          key={m.key}
          data-testid={`safety-demo-${m.key}`}
          title={m.breaks}
          onClick={() => {
            // The scenario runner (and the checks of its format) load with the first demo asked for.
            loadPart('The scenario runner', () => import('../store/runScenario')).then(
              ({ runScenarioText }) => {
                const res = runScenarioText(m.demo.text);
                if (!res.ok) setNotice(res.error);
              },
              (e: Error) => setNotice(e.message),
            );
          }}
        >
          {m.demo.label}
        </button>
      ))}
    </div>
  );
}

/**
 * Raft's five safety properties as the monitor saw them at the moment on screen: it checks every
 * state the simulation reaches, so scrubbing back shows the count and the verdicts of that moment.
 */
export function SafetyPanel() {
  // A text panel: redrawn at most every PACE_MS while playing (pace.ts).
  const f = usePacedFrame();
  const options = useStore((s) => s.options);
  const list = useRef<HTMLUListElement>(null);
  const statuses = f ? f.sim.safety.statusAt(f.frame.seqEnd) : [];
  const violated = statuses.filter((s) => s.first).map((s) => s.invariant).join();
  useEffect(() => {
    // The tab is short: bring the first broken property (and its jump button) into view when one breaks.
    if (violated) list.current?.querySelector('.violated')?.scrollIntoView({ block: 'nearest' });
  }, [violated]);
  if (!f) return null;
  const safety = f.sim.safety;
  const checked = safety.checkedAt(f.index);
  const broken = brokenModesOf(options);
  return (
    <div className="safety-panel" data-testid="safety-panel" data-checked={checked} data-violated={violated !== ''}>
      <p className="safety-summary">
        The safety monitor checks Raft’s five safety properties (Figure 3 of the paper) after every step:{' '}
        <strong data-testid="safety-checked">{checked.toLocaleString('en')}</strong> states checked up to this moment.
      </p>
      {broken.length > 0 && (
        <p className="safety-broken-note" data-testid="safety-broken-note">
          ⚠ This cluster runs with a rule switched off on purpose: {broken.map((m) => m.label.toLowerCase()).join('; ')}. The monitor is
          expected to catch {broken.flatMap((m) => m.catches).join(' and ')} breaking.
        </p>
      )}
      <ul className="safety-list" ref={list}>
        {statuses.map((s) => (
          <InvariantRow key={s.invariant} s={s} />
        ))}
      </ul>
      <Demos />
    </div>
  );
}

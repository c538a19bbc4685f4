import { useStore } from '../store/store';
import { fmtTime } from './format';
import { leaderOf } from './hooks';
import { usePaced, usePacedFrame } from './pace';
import { WhyButton } from './why/WhyButton';

const ROLE_NAME = { leader: 'Leader', candidate: 'Candidate', precandidate: 'Pre-candidate', follower: 'Follower' } as const;
const MEMBERSHIP_NAME = { voter: 'voter', 'non-voter': 'non-voter (read-only replica)', joining: 'joining: a non-voter until it catches up', removed: 'removed from the cluster' } as const;

/** Everything about the selected server, and what you can do to it. */
export function NodePanel() {
  // A text panel: redrawn at most every PACE_MS while playing (pace.ts).
  const f = usePacedFrame();
  const selected = useStore((s) => s.selected);
  const time = usePaced((s) => s.time);
  const act = useStore((s) => s.act);
  if (!f) return null;
  const v = f.frame.nodes.find((n) => n.id === selected);
  const leader = leaderOf(f.frame);
  if (!v) return <p className="hint">Click a node in the cluster to see its state and act on it.</p>;
  const timer = v.alive && v.role !== 'leader' && Number.isFinite(v.electionDeadline) ? fmtTime(Math.max(0, v.electionDeadline - time)) : '—';
  return (
    <div className="node-panel" data-testid="node-panel">
      <h3>
        {v.id} · {v.alive ? ROLE_NAME[v.role] : 'Down'} {v.membership !== 'voter' && <small>({MEMBERSHIP_NAME[v.membership]})</small>}{' '}
        <WhyButton
          label={`Why is ${v.id} ${v.alive ? ROLE_NAME[v.role].toLowerCase() : 'down'} in term ${v.term}?`}
          target={() => ({ kind: 'node', node: v.id, before: f.frame.seqEnd })}
          testId="np-why"
        />
      </h3>
      <dl className="facts">
        <dt>membership</dt>
        <dd data-testid="np-membership">{MEMBERSHIP_NAME[v.membership]}</dd>
        <dt>term</dt>
        <dd data-testid="np-term">{v.term}</dd>
        <dt>voted for</dt>
        <dd>{v.votedFor ?? '—'}</dd>
        <dt>knows leader</dt>
        <dd>{v.leaderId ?? '—'}</dd>
        <dt>commit index</dt>
        <dd>{v.commitIndex}</dd>
        <dt>applied index</dt>
        <dd>{v.lastApplied}</dd>
        <dt>log</dt>
        <dd>
          {v.lastIndex > v.snapshotIndex ? `${v.snapshotIndex + 1}…${v.lastIndex}` : 'empty'}
          {v.snapshotIndex > 0 && ` (snapshot ≤ ${v.snapshotIndex})`}
        </dd>
        <dt>election timer</dt>
        <dd>{timer}</dd>
      </dl>
      {v.progress.length > 0 && (
        <table className="progress">
          <thead>
            <tr>
              <th>follower</th>
              <th>match</th>
              <th>next</th>
              <th>state</th>
            </tr>
          </thead>
          <tbody>
            {v.progress
              .filter((p) => p.id !== v.id)
              .map((p) => (
                <tr key={p.id}>
                  <td>{p.id}</td>
                  <td>{p.matchIndex}</td>
                  <td>{p.nextIndex}</td>
                  <td>{p.state}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      <div className="buttons">
        {v.alive ? (
          <button onClick={() => act({ kind: 'kill', node: v.id })} data-testid="np-kill">
            Stop (crash)
          </button>
        ) : (
          <button onClick={() => act({ kind: 'restart', node: v.id })} data-testid="np-restart">
            Restart
          </button>
        )}
        <button disabled={!v.alive || v.role === 'leader'} onClick={() => act({ kind: 'timeoutNow', node: v.id })} data-testid="np-timeout">
          Time out now
        </button>
        <button
          disabled={!v.alive || !leader || leader === v.id || v.membership !== 'voter'}
          onClick={() => act({ kind: 'transfer', node: v.id })}
          data-testid="np-transfer"
        >
          Transfer leadership here
        </button>
        <button
          disabled={!v.alive || v.lastApplied <= v.snapshotIndex}
          title="Compact this node's log: everything it has applied becomes one copy of its database"
          onClick={() => act({ kind: 'snapshot', node: v.id })}
          data-testid="np-snapshot"
        >
          Take snapshot
        </button>
        {v.membership === 'removed' ? (
          <button disabled={!leader} onClick={() => act({ kind: 'join', node: v.id, voter: true })} data-testid="np-rejoin">
            Join again
          </button>
        ) : (
          <button
            disabled={!leader}
            title="The leader appends a configuration without this node; it stops counting towards the majority"
            onClick={() => act({ kind: 'remove', node: v.id })}
            data-testid="np-remove"
          >
            Remove from cluster
          </button>
        )}
        <button onClick={() => act({ kind: 'isolate', node: v.id })} data-testid="np-isolate">
          Isolate
        </button>
      </div>
    </div>
  );
}

import { memo, useState } from 'react';
import type { NodeView } from '../../replay/frames';
import { nextNodeId } from '../../replay/nodeIds';
import { useStore } from '../../store/store';

/** The page draws at most this many servers (the ring and the log strips are sized for it). */
export const MAX_NODES = 9;

interface Props {
  /** The id the next server would take. */
  id: string;
  full: boolean;
  /** No leader, a leader that has not committed an entry of its own term yet, or one that may change the configuration. */
  leader: 'none' | 'waiting' | 'ready';
}

/** What the control shows of a frame, as plain values: it is drawn again only when one of them changes, not every frame. */
export function addNodeProps(nodes: readonly NodeView[], leader: NodeView | null): Props {
  return { id: nextNodeId(nodes), full: nodes.length >= MAX_NODES, leader: leader === null ? 'none' : committedOwnTerm(leader) ? 'ready' : 'waiting' };
}

/**
 * A new leader may change the configuration only once it has committed an entry of its own term
 * (the fix to the single-server change bug found in 2015); before that the button would be refused.
 */
function committedOwnTerm(leader: NodeView): boolean {
  for (let c = leader.log; c; c = c.prev)
    if (c.index === leader.commitIndex) return c.entry.term === leader.term;
  // The commit index lies inside the snapshot: that entry is older than any no-op of this term.
  return leader.commitIndex === leader.snapshotIndex && leader.snapshotTerm === leader.term;
}

/**
 * Add a server the way rqlite does: it joins as a non-voter, copies the log (or a snapshot), and
 * only a voter-to-be is then promoted, so a slow newcomer never holds up commits.
 */
export const AddNodeControl = memo(function AddNodeControl({ id, full, leader }: Props) {
  const act = useStore((s) => s.act);
  const [voter, setVoter] = useState(true);
  const ready = leader === 'ready';
  const why = full
    ? `at most ${MAX_NODES} servers`
    : leader === 'none'
      ? 'a change needs a leader'
      : !ready
        ? 'the new leader must first commit an entry of its own term'
        : `${id} joins as a non-voter, catches up${voter ? ', then becomes a voter' : ' and stays read-only'}`;
  return (
    <div className="add-node" data-testid="add-node">
      <button
        disabled={full || !ready}
        title={why}
        onClick={() => act({ kind: 'join', node: id, voter })}
        data-testid="add-node-button"
      >
        + Add {id}
      </button>
      <select
        value={voter ? 'voter' : 'non-voter'}
        onChange={(e) => setVoter(e.target.value === 'voter')}
        aria-label="join as"
        data-testid="add-node-kind"
      >
        <option value="voter">as voter</option>
        <option value="non-voter">as non-voter</option>
      </select>
    </div>
  );
});

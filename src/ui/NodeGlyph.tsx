import type { KeyboardEvent, PointerEvent } from 'react';
import type { NodeView } from '../replay/frames';
import { NODE_R, type Point } from './layout';

const ROLE_LABEL = { leader: 'leader', candidate: 'candidate', precandidate: 'pre-candidate', follower: 'follower' } as const;

/** The label under a node: its role, unless its membership says more. */
function label(view: NodeView): string {
  if (!view.alive) return view.membership === 'removed' ? 'removed · down' : 'crashed';
  if (view.membership === 'removed') return 'removed';
  if (view.membership === 'joining') return 'joining (catching up)';
  const role = ROLE_LABEL[view.role] + (view.votes > 0 ? ` · ${view.votes} vote${view.votes > 1 ? 's' : ''}` : '');
  return view.membership === 'non-voter' ? `${role} · non-voter` : role;
}

interface Props {
  view: NodeView;
  at: Point;
  time: number;
  selected: boolean;
  cutOff: boolean;
  /** Being dragged to another partition group. */
  dragging?: boolean;
  onSelect(id: string): void;
  /** Enter or space on the focused node: select it and go to its actions. */
  onActivate?(id: string): void;
  onPointerDown?(id: string, e: PointerEvent<SVGGElement>): void;
}

/** One server: role by fill, outline and label; term inside; election timer as a draining arc. */
export function NodeGlyph({ view, at, time, selected, cutOff, dragging, onSelect, onActivate, onPointerDown }: Props) {
  const role = view.alive ? view.role : 'down';
  const span = view.electionDeadline - view.timerStart;
  const left = Number.isFinite(view.electionDeadline) && span > 0 ? Math.max(0, Math.min(1, (view.electionDeadline - time) / span)) : 0;
  const showTimer = view.alive && view.role !== 'leader' && left > 0;
  const term = view.alive ? `T${view.term}` : '✕ down';
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    onActivate?.(view.id);
  };
  return (
    <g
      className={`node role-${role} member-${view.membership}${selected ? ' selected' : ''}${cutOff ? ' cut-off' : ''}${dragging ? ' dragging' : ''}`}
      transform={`translate(${at.x},${at.y})`}
      onClick={() => onSelect(view.id)}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => onPointerDown?.(view.id, e)}
      tabIndex={0}
      data-testid={`node-${view.id}`}
      data-role={role}
      data-membership={view.membership}
      data-term={view.term}
      role="button"
      aria-pressed={selected}
      // Starts with the words drawn (id, term, label) so a voice user can say what they see.
      aria-label={`${view.id} ${term} ${label(view)}, ${view.membership}, term ${view.term}, commit ${view.commitIndex}`}
    >
      <title>{`${view.id}: ${view.alive ? ROLE_LABEL[view.role] : 'down (crashed)'} · term ${view.term} · voted for ${view.votedFor ?? 'nobody'} · commit ${view.commitIndex} · ${view.membership}`}</title>
      {/* A finger-sized target, bigger than the drawn circle. */}
      <circle className="hit" r={NODE_R + 14} />
      {selected && <circle className="select-ring" r={NODE_R + 13} />}
      <circle className="timer-track" r={NODE_R + 6} />
      {/* A dash along a circle of length 1, not an arc drawn anew: the time left changes every frame,
          and a path's new shape made the browser lay the node out again, where a dash is repainted. */}
      {showTimer && <circle className="timer-arc" r={NODE_R + 6} pathLength={1} transform="rotate(-90)" style={{ strokeDasharray: `${left} 1` }} />}
      {role === 'leader' && <circle className="leader-halo" r={NODE_R + 3} />}
      <circle className="body" r={NODE_R} />
      {role === 'leader' && (
        <text className="crown" y={-NODE_R - 12} textAnchor="middle" aria-hidden="true">
          ♛
        </text>
      )}
      <text className="id" y={-3} textAnchor="middle">
        {view.id}
        {/* Words apart, so the drawn text reads "n1 T1 follower" as the accessible name does. */}{' '}
      </text>
      <text className="term" y={13} textAnchor="middle">
        {term}{' '}
      </text>
      <text className="role-label" y={NODE_R + 22} textAnchor="middle">
        {label(view)}
      </text>
    </g>
  );
}

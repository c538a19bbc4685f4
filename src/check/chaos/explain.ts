import type { ChaosOp } from '../../drive/chaos/types';
import type { LevelVerdict } from './verdict';
import { formatMs } from '../../sim/duration';

function show(v: number | null | undefined): string {
  return v === null || v === undefined ? 'nil (no row)' : String(v);
}

/** One operation in a few words, as the timeline's tooltip and the verdict name it. */
export function describeOp(op: ChaosOp): string {
  const o = op.outcome;
  const result =
    o.status === 'ok'
      ? op.req.f === 'read'
        ? ` → ${show(o.value)}`
        : op.req.f === 'upsert'
          ? ' → ok'
          : ` → ${o.rows ?? 0} row${o.rows === 1 ? '' : 's'}`
      : ` → ${o.status}: ${o.error}`;
  const what =
    op.req.f === 'read'
      ? `read ${op.key} (${op.req.level})`
      : op.req.f === 'cas'
        ? `cas ${op.key} ${op.req.from} → ${op.req.value}`
        : `${op.req.f === 'upsert' ? 'write' : 'update'} ${op.key} = ${op.req.value}`;
  return `client ${op.client}: ${what}${result}`;
}

const WHY: Record<string, (node: string) => string> = {
  none: (node) => `${node} answered from its own copy of the database without asking anyone whether it was up to date`,
  weak: (node) =>
    `${node} believed it was the leader and answered from its own database without confirming with a majority; a newer leader had already taken the write`,
};

/**
 * A sentence for a person about why a level's history is not linearizable, naming the operations
 * the timeline highlights. Falls back to the checker's own account when the anomaly is not a plain
 * stale read.
 */
export function explainVerdict(history: readonly ChaosOp[], v: LevelVerdict): string {
  if (v.result === 'ok') return `Every ${v.level} read is consistent with one order of all operations that respects real time.`;
  if (v.result === 'unknown') return `The checker ran out of its step budget before deciding the ${v.level} reads.`;
  const s = v.staleRead;
  if (!s) {
    const read = v.stuck.map((id) => history[id]).find((o) => o.req.f === 'read' && o.outcome.status === 'ok');
    const general = `No order of the operations on key ${v.key ?? '?'} explains what the clients saw: the checker placed ${v.prefix.length} of them in order, then none of the highlighted ones could come next.`;
    if (!read || read.outcome.status !== 'ok') return general;
    // Not a read of a value overwritten in real time, but one that contradicts what other reads
    // had already shown (a node that was further behind than one asked earlier).
    return (
      `${general} Client ${read.client}'s read of ${read.key} = ${show(read.outcome.value)} from ${read.servedBy ?? read.node} at ${formatMs(read.call)} ` +
      `returns a value that earlier operations had already shown to be overwritten: the nodes asked were behind by different amounts.`
    );
  }
  const read = history[s.read];
  const over = history[s.overwrittenBy];
  const node = read.servedBy ?? read.node;
  const why = WHY[v.level]?.(node) ?? `${node} answered with a value that had already been replaced`;
  const wrote = s.wroteIt === null ? '' : ` (written by client ${history[s.wroteIt].client})`;
  return (
    `Stale read: client ${read.client} read ${read.key} = ${show(s.value)}${wrote} at ${formatMs(read.call)} from ${node}, ` +
    `but client ${over.client}'s ${over.req.f === 'cas' ? 'cas' : 'write'} of ${over.req.f === 'read' ? '' : over.req.value} to ${read.key} ` +
    `had already been acknowledged at ${formatMs(over.return)}, before the read began. ${why}. ` +
    (v.level === 'none' || v.level === 'weak'
      ? `The ${v.level} level allows this; strong and linearizable reads do not.`
      : 'Raft promises this level never does this: it is a bug.')
  );
}

import { explainProblem } from '../../cluster/errors';
import type { Answer } from '../../cluster/types';
import type { Frame } from '../../replay/frames';
import type { Input, InputAction } from '../../replay/simulation';
import { nextNodeId } from '../../replay/nodeIds';
import { leaderIn } from './facts';
import { describeWant, sqlDoes } from './sqlTask';
import type { Task } from './types';

/** The server a task's `node` names at this moment: "leader", a bound "$name", or an id. */
export function taskNode(want: string | undefined, frame: Frame | undefined, vars: Readonly<Record<string, string>>): string | null {
  if (want === undefined) return null;
  if (want === 'leader') return frame ? (leaderIn(frame)?.id ?? null) : null;
  if (want.startsWith('$')) return vars[want.slice(1)] ?? null;
  return want;
}

/** Does a recorded input do what the task asked? `before` is the frame the learner acted on. */
export function satisfies(task: Task, input: Input, before: Frame | undefined, vars: Readonly<Record<string, string>> = {}): boolean {
  const a = input.action;
  if (a.kind !== task.kind) return false;
  const wants = (want: string | undefined, node: string) => want === undefined || taskNode(want, before, vars) === node;
  switch (a.kind) {
    case 'kill':
    case 'restart':
    case 'isolate':
    case 'timeoutNow':
    case 'transfer':
    case 'snapshot':
    case 'remove':
      return task.kind === a.kind && wants(task.node, a.node);
    case 'heal':
    case 'partition':
      return true;
    case 'join':
      return task.kind === 'join' && (task.voter === undefined || task.voter === a.voter);
    case 'request': {
      if (task.kind !== 'request' || a.body.op !== task.op || !wants(task.node, a.node)) return false;
      if (task.level && (a.body.op !== 'query' || a.body.req.level !== task.level)) return false;
      return !task.sql || sqlDoes(task.sql, a.body.req.statements);
    }
    default:
      return false;
  }
}

/**
 * Why an input of the task's kind is not what the step asked, in a sentence for the learner, or
 * null if it is unrelated (a click elsewhere is exploring, not a wrong answer).
 */
export function explainMiss(task: Task, input: Input, before: Frame | undefined, vars: Readonly<Record<string, string>>): string | null {
  const a = input.action;
  if (task.kind === 'transfer' && a.kind === 'timeoutNow') {
    return `“Time out now” made ${a.node} start an election on its own, without the leader’s help. This step asks for “Transfer leadership here”: the leader first brings the server up to date, then tells it to start.`;
  }
  if (a.kind !== task.kind || satisfies(task, input, before, vars)) return null;
  const want = taskNode('node' in task ? task.node : undefined, before, vars);
  if (a.kind === 'request' && task.kind === 'request') {
    if (a.body.op !== task.op) return task.op === 'execute' ? 'That was a read; this step asks for a write (an INSERT).' : 'That was a write; this step asks for a read (a SELECT).';
    if (want && a.node !== want) {
      const role = before?.nodes.find((n) => n.id === a.node)?.role;
      const forward = task.op === 'execute' && role === 'follower' ? ` ${a.node} is a follower: it forwards a write to the leader, which works, but this step follows the leader’s own messages.` : '';
      return `You sent it to ${a.node}; this step asks for ${want}.${forward} Set “to” to ${want} and run it again.`;
    }
    if (task.level && a.body.op === 'query' && a.body.req.level !== task.level) return `That read used level “${a.body.req.level}”; this step asks for “${task.level}”.`;
    return `This step asks for ${task.sql ? describeWant(task.sql) : 'a statement like the example'}, for instance: ${task.example}`;
  }
  if (want && 'node' in a && a.node !== want) return `That was ${a.node}; this step asks for ${want}${'node' in task && task.node === 'leader' ? ' (the leader)' : ''}.`;
  if (a.kind === 'join' && task.kind === 'join') return task.voter ? 'This step asks to add the server as a voter.' : 'This step asks to add the server as a non-voter.';
  return null;
}

/** What the learner's request got, and whether the step can take it: only an answer with no error anywhere. */
export function judgeAnswer(answer: Answer): { ok: boolean; note: string } {
  if (!answer.ok) return { ok: false, note: `Your request failed: ${explainProblem(answer.problem)}` };
  const errors = answer.result.results.flatMap((r, i) => (r.error ? [`statement ${i + 1}: ${r.error}`] : []));
  if (errors.length > 0) {
    const where = answer.result.results.length > 1 ? errors.join('; ') : errors[0].replace(/^statement 1: /, '');
    return { ok: false, note: `SQLite refused it: ${where}. Nothing changed in the databases — fix the statement and run it again.` };
  }
  return { ok: true, note: '' };
}

/**
 * What "do it for me" does, decided by role at the moment on screen: the leader for a crash or a
 * snapshot, the first crashed server for a restart, a live voting follower for a removal or a
 * leadership transfer, unless the task names a server ("$old": the one the tour remembered, never
 * whoever happens to lead now).
 */
export function taskAction(task: Task, frame: Frame | undefined, vars: Readonly<Record<string, string>>): InputAction | null {
  const named = taskNode('node' in task ? task.node : undefined, frame, vars);
  switch (task.kind) {
    case 'heal':
      return { kind: 'heal' };
    case 'partition':
    case 'request':
      return null;
    case 'join':
      return { kind: 'join', node: nextNodeId(frame?.nodes ?? []), voter: task.voter ?? true };
    default: {
      const nodes = frame?.nodes ?? [];
      const fallback =
        task.kind === 'restart'
          ? nodes.find((n) => !n.alive)?.id
          : task.kind === 'remove' || task.kind === 'transfer'
            ? nodes.find((n) => n.alive && n.role === 'follower' && n.membership === 'voter')?.id
            : frame && leaderIn(frame)?.id;
      const node = task.node === undefined ? fallback : named;
      return node ? { kind: task.kind, node } : null;
    }
  }
}

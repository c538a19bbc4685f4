import type { EntryData } from '../../cluster/types';
import type { StepOutput } from '../../drive/scenario/run';
import type { Frame, LogCell, Membership, NodeView } from '../../replay/frames';
import type { Role } from '../../raft/types';
import { toJson } from '../../db/json';

/**
 * What a tour step relies on, as data: the runner checks these when the step is shown, and the
 * tour auditor (test/teaching/tour-audit.test.ts) checks them in every way a learner can reach the
 * step. A step's text may only name what its facts (or its template placeholders) vouch for.
 *
 * Servers are named by id ("n3"), "leader" (the live leader with the highest term at the step's
 * moment), or "$name": a server bound by an earlier step (`bind`), e.g. "$old" for the old leader.
 */
export type NodeRef = string;

/** A number exactly, or within bounds. */
export type Num = number | { min?: number; max?: number };

export type Fact =
  /** This server leads (the live leader with the highest term), optionally in this term. */
  | { leader: NodeRef; term?: Num }
  /** No live server is leader. */
  | { noLeader: true }
  | { node: NodeRef; role: Role | 'candidate-or-pre' }
  /** How many live servers have this role (pre-candidates count as candidates for 'candidate-or-pre'). */
  | { count: Role | 'candidate-or-pre'; is: Num }
  | { down: NodeRef }
  | { up: NodeRef }
  /** Messages between these two servers are dropped. */
  | { apart: [NodeRef, NodeRef] }
  | { together: NodeRef[] }
  /** No other server is on this one's side of the network. */
  | { isolated: NodeRef }
  /** Every live member holds the same log and has applied all of it. */
  | { converged: true }
  /** The highest term any live server has reached. */
  | { highestTerm: Num }
  | { node: NodeRef; term: Num }
  | { node: NodeRef; committed: Num }
  | { node: NodeRef; applied: Num }
  | { node: NodeRef; lastIndex: Num }
  | { node: NodeRef; snapshot: Num }
  | { node: NodeRef; member: Membership }
  /** The entry at `index` on `node`: its term, a part of its SQL, or that there is none (`absent`). */
  | { entry: { node: NodeRef; index: number | 'last'; term?: Num; sql?: string; absent?: true } }
  /** These servers (or every live one) hold the same log. */
  | { sameLog: NodeRef[] | 'live' }
  /** The output of the tour scenario's step `i` (0-based): did it succeed, with which code, which rows. */
  | { output: number; ok: boolean; code?: string; rows?: unknown[][]; lacks?: string }
  /**
   * The timing requirement holds (paper §5.6, broadcastTime ≪ electionTimeout): a follower hears
   * at least `beats` heartbeats, each at the slowest latency, before its shortest timeout runs out.
   */
  | { timing: { beats: Num } };

/** The cluster's timers, from the options it was built with (the network's latency is in the frame). */
export interface Timing {
  heartbeat: number;
  electionTimeout: readonly [number, number];
}

/** Everything a fact or a template may read: the frame at the step's moment and the tour's memory. */
export interface Moment {
  frame: Frame;
  /** Servers bound by earlier steps ($old → n5). */
  vars: Readonly<Record<string, string>>;
  /** The tour scenario's step outputs so far. */
  results: readonly StepOutput[];
  /** The cluster's timers; steps that speak of timing need it. */
  timing?: Timing;
}

/** Heartbeats a follower hears before its shortest election timeout can run out, at the slowest latency. */
export function heartbeatsBeforeTimeout(m: Moment): number | null {
  if (!m.timing) return null;
  return Math.floor((m.timing.electionTimeout[0] - m.frame.net.latencyMax) / m.timing.heartbeat);
}

export function leaderIn(frame: Frame): NodeView | null {
  let best: NodeView | null = null;
  for (const n of frame.nodes) if (n.alive && n.role === 'leader' && (!best || n.term > best.term)) best = n;
  return best;
}

/** The server a reference names at this moment, or null (no leader, an unbound name). */
export function resolveRef(ref: NodeRef, m: Moment): NodeView | null {
  const id = ref === 'leader' ? (leaderIn(m.frame)?.id ?? null) : ref.startsWith('$') ? (m.vars[ref.slice(1)] ?? null) : ref;
  return m.frame.nodes.find((n) => n.id === id) ?? null;
}

export function within(v: number, want: Num): boolean {
  if (typeof want === 'number') return v === want;
  return (want.min === undefined || v >= want.min) && (want.max === undefined || v <= want.max);
}

function numText(want: Num): string {
  if (typeof want === 'number') return String(want);
  if (want.min !== undefined && want.max !== undefined) return `${want.min}…${want.max}`;
  return want.min !== undefined ? `≥ ${want.min}` : `≤ ${want.max}`;
}

export function entryAt(n: NodeView, index: number): LogCell | null {
  for (let c = n.log; c; c = c.prev) if (c.index === index) return c;
  return null;
}

export function entrySql(c: LogCell): string {
  if (c.entry.kind !== 'command') return '';
  return (c.entry.data as EntryData).statements.map((s) => s.sql).join('; ');
}

function logOf(n: NodeView): string {
  const a: string[] = [];
  for (let c = n.log; c; c = c.prev) a.push(`${c.index}:${c.entry.term}`);
  return `${n.snapshotIndex}|${a.join(',')}`;
}

const roleIs = (n: NodeView, r: Role | 'candidate-or-pre') => (r === 'candidate-or-pre' ? n.role === 'candidate' || n.role === 'precandidate' : n.role === r);

/** Why the fact does not hold at this moment, or null if it does. */
export function failure(f: Fact, m: Moment): string | null {
  const node = (ref: NodeRef): NodeView | string => resolveRef(ref, m) ?? (ref === 'leader' ? 'no server leads' : `${ref} is not a server here`);
  const groupOf = (n: NodeView) => m.frame.net.groups[m.frame.nodes.indexOf(n)];
  if ('leader' in f) {
    const l = leaderIn(m.frame);
    const want = node(f.leader);
    if (typeof want === 'string') return want;
    if (!l) return `no server leads (expected ${want.id})`;
    if (l.id !== want.id) return `${l.id} leads, not ${want.id}`;
    if (f.term !== undefined && !within(l.term, f.term)) return `${l.id} leads term ${l.term}, not ${numText(f.term)}`;
    return null;
  }
  if ('noLeader' in f) {
    const l = leaderIn(m.frame);
    return l ? `${l.id} leads term ${l.term}` : null;
  }
  if ('count' in f) {
    const c = m.frame.nodes.filter((n) => n.alive && roleIs(n, f.count)).length;
    return within(c, f.is) ? null : `${c} servers are ${f.count}, not ${numText(f.is)}`;
  }
  if ('down' in f || 'up' in f) {
    const n = node('down' in f ? f.down : f.up);
    if (typeof n === 'string') return n;
    return n.alive === 'up' in f ? null : `${n.id} is ${n.alive ? 'running' : 'down'}`;
  }
  if ('apart' in f || 'together' in f) {
    const ns = ('apart' in f ? f.apart : f.together).map(node);
    const bad = ns.find((n) => typeof n === 'string');
    if (bad) return bad as string;
    const gs = new Set((ns as NodeView[]).map(groupOf));
    if ('apart' in f) return gs.size > 1 ? null : `${f.apart.join(' and ')} can talk to each other`;
    return gs.size === 1 ? null : `${(ns as NodeView[]).map((n) => n.id).join(', ')} are not all on one side`;
  }
  if ('isolated' in f) {
    const n = node(f.isolated);
    if (typeof n === 'string') return n;
    const g = groupOf(n);
    const with_ = m.frame.nodes.filter((o) => o !== n && groupOf(o) === g).map((o) => o.id);
    return with_.length === 0 ? null : `${n.id} can still talk to ${with_.join(', ')}`;
  }
  if ('converged' in f) {
    const live = m.frame.nodes.filter((n) => n.alive && n.membership !== 'removed');
    if (new Set(live.map(logOf)).size > 1) return 'the live servers’ logs differ';
    const behind = live.find((n) => n.lastApplied < n.lastIndex);
    return behind ? `${behind.id} has applied ${behind.lastApplied} of ${behind.lastIndex} entries` : null;
  }
  if ('highestTerm' in f) {
    const t = Math.max(0, ...m.frame.nodes.filter((n) => n.alive).map((n) => n.term));
    return within(t, f.highestTerm) ? null : `the highest term is ${t}, not ${numText(f.highestTerm)}`;
  }
  if ('entry' in f) {
    const n = node(f.entry.node);
    if (typeof n === 'string') return n;
    const c = entryAt(n, f.entry.index === 'last' ? n.lastIndex : f.entry.index);
    if (f.entry.absent) return c ? `${n.id} has an entry at index ${f.entry.index}` : null;
    if (!c) return `${n.id} has no entry at index ${f.entry.index}`;
    if (f.entry.term !== undefined && !within(c.entry.term, f.entry.term)) return `${n.id}’s entry ${f.entry.index} is from term ${c.entry.term}`;
    if (f.entry.sql !== undefined && !entrySql(c).toLowerCase().includes(f.entry.sql.toLowerCase())) return `${n.id}’s entry ${f.entry.index} is not “${f.entry.sql}”`;
    return null;
  }
  if ('sameLog' in f) {
    const ns = f.sameLog === 'live' ? m.frame.nodes.filter((n) => n.alive && n.membership !== 'removed') : f.sameLog.map(node);
    const bad = ns.find((n) => typeof n === 'string');
    if (bad) return bad as string;
    const logs = new Set((ns as NodeView[]).map(logOf));
    return logs.size <= 1 ? null : 'the logs differ';
  }
  if ('timing' in f) {
    const beats = heartbeatsBeforeTimeout(m);
    if (beats === null) return 'the cluster’s timers are not known here';
    return within(beats, f.timing.beats) ? null : `a follower hears ${beats} heartbeats before its shortest timeout, not ${numText(f.timing.beats)}`;
  }
  if ('output' in f) {
    const r = m.results.find((o) => o.i === f.output);
    if (!r) return `scenario step ${f.output} has not run`;
    if (r.ok !== f.ok) return `scenario step ${f.output} ${r.ok ? 'succeeded' : `failed (${r.error})`}`;
    if (f.code !== undefined && r.code !== f.code) return `scenario step ${f.output} failed with ${r.code}, not ${f.code}`;
    if (f.rows) {
      const got = (r.result as { results?: { values?: unknown[][] }[] } | null)?.results?.[0]?.values ?? [];
      if (toJson(got) !== toJson(f.rows)) return `scenario step ${f.output} returned ${toJson(got)}`;
    }
    if (f.lacks !== undefined && toJson(r.result).includes(f.lacks)) return `scenario step ${f.output}’s answer has “${f.lacks}”`;
    return null;
  }
  const n = node(f.node);
  if (typeof n === 'string') return n;
  if ('role' in f) return roleIs(n, f.role) ? null : `${n.id} is a ${n.role}, not a ${f.role}`;
  if ('member' in f) return n.membership === f.member ? null : `${n.id} is a ${n.membership}, not a ${f.member}`;
  const [what, v, want] =
    'term' in f ? ['term', n.term, f.term] : 'committed' in f ? ['commit index', n.commitIndex, f.committed] : 'applied' in f ? ['applied index', n.lastApplied, f.applied] : 'lastIndex' in f ? ['last index', n.lastIndex, f.lastIndex] : ['snapshot index', n.snapshotIndex, f.snapshot];
  return within(v, want) ? null : `${n.id}’s ${what} is ${v}, not ${numText(want)}`;
}

/** Every fact that does not hold, each with why. */
export function failures(facts: readonly Fact[] | undefined, m: Moment): string[] {
  return (facts ?? []).flatMap((f) => failure(f, m) ?? []);
}

/** The servers, terms and indexes a fact vouches for (what the step's text may name literally). */
export function vouched(f: Fact): { nodes: string[]; terms: number[]; indexes: number[] } {
  const nodes: string[] = [];
  const terms: number[] = [];
  const indexes: number[] = [];
  const num = (n: Num | undefined, into: number[]) => {
    if (typeof n === 'number') into.push(n);
  };
  const ref = (r: NodeRef) => nodes.push(r);
  if ('leader' in f) {
    ref(f.leader);
    num(f.term, terms);
  } else if ('apart' in f) f.apart.forEach(ref);
  else if ('together' in f) f.together.forEach(ref);
  else if ('down' in f) ref(f.down);
  else if ('isolated' in f) ref(f.isolated);
  else if ('highestTerm' in f) num(f.highestTerm, terms);
  else if ('up' in f) ref(f.up);
  else if ('entry' in f) {
    ref(f.entry.node);
    if (f.entry.index !== 'last') indexes.push(f.entry.index);
    num(f.entry.term, terms);
  } else if ('sameLog' in f) {
    if (f.sameLog !== 'live') f.sameLog.forEach(ref);
  } else if ('node' in f) {
    ref(f.node);
    if ('term' in f) num(f.term, terms);
    if ('committed' in f) num(f.committed, indexes);
    if ('applied' in f) num(f.applied, indexes);
    if ('lastIndex' in f) num(f.lastIndex, indexes);
    if ('snapshot' in f) num(f.snapshot, indexes);
  }
  return { nodes, terms, indexes };
}

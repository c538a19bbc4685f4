import type { NetMessage } from '../cluster/types';
import type { ConfigView, MemberChange, SnapshotAction } from '../sim/events';
import type { SimEvent } from './simulation';
import { formatMs, roundMs } from '../sim/duration';
import type { MarkDetail } from './diagram/types';

/** The message kinds the view tells apart, each with its own colour and label. */
export type MsgClass = 'vote-req' | 'vote-yes' | 'vote-no' | 'append' | 'heartbeat' | 'append-ok' | 'append-no' | 'snapshot' | 'snapshot-resp' | 'timeout-now' | 'client';

export function classify(m: NetMessage): MsgClass {
  switch (m.type) {
    case 'RequestVote':
      return 'vote-req';
    case 'RequestVoteResp':
      return m.granted ? 'vote-yes' : 'vote-no';
    case 'AppendEntries':
      return m.entries.length > 0 ? 'append' : 'heartbeat';
    case 'AppendEntriesResp':
      return m.success ? 'append-ok' : 'append-no';
    case 'InstallSnapshot':
      return 'snapshot';
    case 'InstallSnapshotResp':
      return 'snapshot-resp';
    case 'TimeoutNow':
      return 'timeout-now';
    case 'ClientRequest':
    case 'ClientResponse':
      return 'client';
  }
}

/** A few characters that fit on a moving message. */
export function shortLabel(m: NetMessage): string {
  switch (m.type) {
    case 'RequestVote':
      return m.preVote ? 'PreVote?' : 'Vote?';
    case 'RequestVoteResp':
      return m.granted ? '✓' : '✗';
    case 'AppendEntries':
      return m.entries.length > 0 ? `+${m.entries.length}` : '♥';
    case 'AppendEntriesResp':
      return m.success ? 'ok' : 'no';
    case 'InstallSnapshot':
      return 'Snap';
    case 'InstallSnapshotResp':
      return 'snap ok';
    case 'TimeoutNow':
      return 'TimeoutNow';
    case 'ClientRequest':
      return 'Req';
    case 'ClientResponse':
      return 'Resp';
  }
}

export function describeMessage(m: NetMessage): string {
  switch (m.type) {
    case 'RequestVote':
      return m.preVote
        ? `${m.from} asks ${m.to} for a pre-vote for term ${m.term}`
        : `${m.from} asks ${m.to} to vote for it in term ${m.term}`;
    case 'RequestVoteResp':
      return `${m.from} ${m.granted ? 'grants' : 'refuses'} ${m.preVote ? 'pre-vote' : 'vote'} to ${m.to} for term ${m.term}`;
    case 'AppendEntries':
      if (m.entries.length === 0) return `${m.from} sends a heartbeat to ${m.to} (term ${m.term}, commit ${m.leaderCommit})`;
      return `${m.from} sends ${m.entries.length} entr${m.entries.length === 1 ? 'y' : 'ies'} ${m.prevLogIndex + 1}–${m.prevLogIndex + m.entries.length} to ${m.to} (term ${m.term})`;
    case 'AppendEntriesResp':
      return m.success
        ? `${m.from} tells ${m.to} its log matches up to ${m.matchIndex}`
        : `${m.from} rejects ${m.to}'s append at ${m.rejectIndex} (conflict at ${m.conflictIndex}, term ${m.conflictTerm})`;
    case 'InstallSnapshot':
      return `${m.from} sends snapshot up to ${m.lastIncludedIndex} to ${m.to} (bytes ${m.offset}–${m.offset + m.chunk.length} of ${m.total})`;
    case 'InstallSnapshotResp':
      return m.done ? `${m.from} installed the snapshot up to ${m.lastIncludedIndex}` : `${m.from} asks ${m.to} for snapshot bytes from ${m.nextOffset}`;
    case 'TimeoutNow':
      return `${m.from} tells ${m.to} to start an election now (leadership transfer)`;
    case 'ClientRequest':
      return `${m.from} forwards a client ${m.body.op} to the leader ${m.to}`;
    case 'ClientResponse':
      return m.retry ? `${m.from} tells ${m.to} to retry (not leader)` : `${m.from} answers ${m.to}'s forwarded request`;
  }
}

export function describeEvent(e: SimEvent): string {
  switch (e.kind) {
    case 'deliver':
      return describeMessage(e.msg);
    case 'drop':
      return `lost (${e.reason}): ${describeMessage(e.msg)}`;
    case 'timeout':
      if (e.timer === 'heartbeat') return `${e.node} heartbeat timer fires`;
      return `${e.node}: ${e.forced ? 'election timeout (forced)' : 'election timeout'}`;
    case 'crash':
      return `${e.node} crashed`;
    case 'restart':
      return `${e.node} restarted`;
    case 'role':
      return `${e.node} becomes ${e.role} in term ${e.term}`;
    case 'heal':
      return 'network healed';
    case 'partition':
      return `network partitioned: ${partitionText(e.groups, e.isolated)}`;
    case 'network':
      return `network: loss ${e.drop}, duplication ${e.duplicate}, latency ${roundMs(e.latency[0])}–${formatMs(e.latency[1])}`;
    case 'client':
      return `client → ${e.node}: ${e.request.op === 'execute' ? 'execute' : `query (${e.request.level})`} ${summarizeSql(e.request.sql)}`;
    case 'config':
      return describeConfig(e.node, e.config, e.changes);
    case 'snapshot':
      return describeSnapshot(e.node, e.action, e.snapshot);
  }
}

/** The first statement, cut to fit a line, and how many more there are. */
export function summarizeSql(sql: readonly string[]): string {
  const first = sql[0] ?? '';
  const text = first.length > 60 ? `${first.slice(0, 57)}…` : first;
  return sql.length > 1 ? `${text} (+${sql.length - 1} more)` : text;
}

function partitionText(groups: readonly (readonly string[])[], isolated?: string): string {
  return isolated !== undefined ? `${isolated} isolated` : groups.map((g) => g.join(',')).join(' | ');
}

/** What changed between two configurations, in words: "n4 joined as non-voter", "n4 promoted to voter". */
export function describeChanges(changes: readonly MemberChange[]): string {
  const parts = changes.map(({ node, from, to }) => {
    if (from === null) return `${node} joined as ${to}`;
    if (to === null) return `${node} removed`;
    return to === 'voter' ? `${node} promoted to voter` : `${node} demoted to non-voter`;
  });
  return parts.length > 0 ? parts.join(', ') : 'configuration unchanged';
}

/** "n1 commits configuration: voters n1, n2, n3, n4; non-voters n5 (n5 joined as non-voter)". */
function describeConfig(node: string, c: ConfigView, changes: readonly MemberChange[]): string {
  const voters = c.voters.length > 0 ? `voters ${c.voters.join(', ')}` : 'no voters';
  const learners = c.learners.length > 0 ? `; non-voters ${c.learners.join(', ')}` : '';
  return `${node} commits configuration: ${voters}${learners} (${describeChanges(changes)})`;
}

function describeSnapshot(node: string, action: SnapshotAction, s: { index: number; term: number; from?: string }): string {
  if (action === 'compact') return `${node} compacts its log up to index ${s.index}`;
  if (action === 'install') return `${node} installs a snapshot up to index ${s.index} (term ${s.term}) from ${s.from ?? 'the leader'}`;
  return `${node} restarts from its own snapshot up to index ${s.index} (term ${s.term})`;
}

/** The timeline's marks: which events get one, and its label. */
export type MarkerKind =
  | 'leader'
  | 'crash'
  | 'restart'
  | 'partition'
  | 'heal'
  | 'client'
  | 'violation'
  /** A configuration entry committed: a join, a promotion, a removal. */
  | 'membership'
  /** A node compacting its log into a snapshot of its database. */
  | 'snapshot'
  /** A node loading a snapshot: from the leader by InstallSnapshot, or its own on restart. */
  | 'install';

export function markerOf(e: SimEvent): { kind: MarkerKind; text: string } | null {
  switch (e.kind) {
    case 'role':
      return e.role === 'leader' ? { kind: 'leader', text: `${e.node} became leader in term ${e.term}` } : null;
    case 'crash':
      return { kind: 'crash', text: `${e.node} crashed` };
    case 'restart':
      return { kind: 'restart', text: `${e.node} restarted` };
    case 'partition':
      return { kind: 'partition', text: `partition ${partitionText(e.groups, e.isolated)}` };
    case 'heal':
      return { kind: 'heal', text: 'network healed' };
    case 'client':
      return { kind: 'client', text: describeEvent(e) };
    case 'config':
      return { kind: 'membership', text: describeChanges(e.changes) };
    case 'snapshot':
      if (e.action === 'compact') return { kind: 'snapshot', text: `${e.node} snapshot ≤ ${e.snapshot.index}` };
      return {
        kind: 'install',
        text: e.snapshot.from
          ? `${e.node} restored snapshot ≤ ${e.snapshot.index} from the leader ${e.snapshot.from}`
          : `${e.node} reloaded its own snapshot ≤ ${e.snapshot.index} on restart`,
      };
    default:
      return null;
  }
}

/** The sentence for a violation mark. */
export function violationText(invariant: string, detail: string): string {
  return `${invariant} violated: ${detail}`;
}

/** Why an event matters, for colouring the event list and the timeline. */
export function eventTone(e: SimEvent): 'major' | 'minor' | 'fault' {
  if (e.kind === 'role' || e.kind === 'client' || e.kind === 'snapshot' || e.kind === 'config') return 'major';
  if (e.kind === 'crash' || e.kind === 'drop' || e.kind === 'partition') return 'fault';
  return 'minor';
}

/** A diagram mark's few words, drawn beside it on its lane. */
export function markLabel(d: MarkDetail): string {
  switch (d.kind) {
    case 'timeout':
      return d.timer === 'heartbeat' ? '♥ timer' : d.forced ? 'timeout (forced)' : 'timeout';
    case 'role':
      return `${d.role} t${d.term}`;
    case 'vote':
      return `votes ${d.for} t${d.term}`;
    case 'append':
      return d.from === d.to ? `+${d.from}` : `+${d.from}–${d.to}`;
    case 'truncate':
      return `cut > ${d.to}`;
    case 'commit':
      return `commit ${d.to}`;
    case 'apply':
      return d.from === d.to ? `apply ${d.to}` : `apply ${d.from}–${d.to}`;
    case 'snapshot':
      return d.action === 'compact' ? `snapshot ≤ ${d.index}` : `load snapshot ≤ ${d.index}`;
    case 'crash':
      return 'crash';
    case 'restart':
      return 'restart';
    case 'partition':
      return `partition ${partitionText(d.groups, d.isolated ?? undefined)}`;
    case 'heal':
      return 'heal';
    case 'network':
      return `loss ${d.drop} · dup ${d.duplicate}`;
    case 'config':
      return describeChanges(d.changes);
    case 'client':
      return `client ${d.op === 'execute' ? 'write' : 'read'} #${d.call}`;
    case 'answer':
      return d.ok ? `answer #${d.call}${d.index !== null ? ` @${d.index}` : ''}` : `error #${d.call}`;
  }
}

/** A diagram mark in a sentence, for its tooltip and for screen readers. */
export function describeMark(lane: string | null, d: MarkDetail): string {
  const who = lane ?? 'the network';
  switch (d.kind) {
    case 'timeout':
      return d.timer === 'heartbeat' ? `${who}'s heartbeat timer fires` : `${who}'s election timer fires${d.forced ? ' (forced)' : ''}`;
    case 'role':
      return `${who} becomes ${d.role} in term ${d.term}`;
    case 'vote':
      return `${who} grants its vote to ${d.for} for term ${d.term}`;
    case 'append':
      return `${who} appends entr${d.from === d.to ? `y ${d.from}` : `ies ${d.from}–${d.to}`} to its log`;
    case 'truncate':
      return `${who} cuts its log after index ${d.to} (conflicting entries)`;
    case 'commit':
      return `${who}'s commit index moves to ${d.to}`;
    case 'apply':
      return `${who} applies entr${d.from === d.to ? `y ${d.to}` : `ies ${d.from}–${d.to}`} to its database`;
    case 'client':
      return `a client sends ${who} a ${d.op === 'execute' ? 'write' : 'read'} (#${d.call}): ${summarizeSql(d.sql)}`;
    case 'answer':
      return `${who} answers client request #${d.call}: ${d.ok ? `ok${d.index !== null ? `, committed at index ${d.index}` : ''}` : 'error'}`;
    default:
      return `${who}: ${markLabel(d)}`;
  }
}

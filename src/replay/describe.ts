import type { NetMessage } from '../cluster/types';
import type { SimEvent } from './simulation';

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
      return e.msg ? describeMessage(e.msg) : `delivered to ${e.node}`;
    case 'drop':
      return e.msg ? `lost (${e.text ?? 'dropped'}): ${describeMessage(e.msg)}` : `message to ${e.node} lost`;
    case 'timeout':
      return e.text === 'heartbeat' ? `${e.node} heartbeat timer fires` : `${e.node}: ${e.text === 'election' ? 'election timeout' : (e.text ?? 'timeout')}`;
    case 'crash':
      return `${e.node} crashed`;
    case 'restart':
      return `${e.node} restarted`;
    case 'role':
      return `${e.node} becomes ${e.text ?? ''}`;
    case 'heal':
      return 'network healed';
    case 'partition':
      return `network partitioned: ${e.text ?? ''}`;
    case 'config':
      return describeConfig(e);
    case 'snapshot':
      return describeSnapshot(e);
    default:
      return e.text ?? e.kind;
  }
}

/** "n1 commits configuration: voters n1, n2, n3, n4; non-voters n5 (n5 joined as non-voter)". */
function describeConfig(e: SimEvent): string {
  const c = e.config;
  if (!c) return `${e.node} commits a configuration change${e.text ? ` (${e.text})` : ''}`;
  const voters = c.voters.length > 0 ? `voters ${c.voters.join(', ')}` : 'no voters';
  const learners = c.learners.length > 0 ? `; non-voters ${c.learners.join(', ')}` : '';
  return `${e.node} commits configuration: ${voters}${learners}${e.text ? ` (${e.text})` : ''}`;
}

function describeSnapshot(e: SimEvent): string {
  const s = e.snapshot;
  if (!s) return `${e.node}: ${e.text ?? 'snapshot'}`;
  if (!e.text?.startsWith('restored')) return `${e.node} compacts its log up to index ${s.index}`;
  if (s.from) return `${e.node} installs a snapshot up to index ${s.index} (term ${s.term}) from ${s.from}`;
  return `${e.node} restarts from its own snapshot up to index ${s.index} (term ${s.term})`;
}

/** Why an event matters, for colouring the event list and the timeline. */
export function eventTone(e: SimEvent): 'major' | 'minor' | 'fault' {
  if (e.kind === 'role' || e.kind === 'client' || e.kind === 'snapshot' || e.kind === 'config') return 'major';
  if (e.kind === 'crash' || e.kind === 'drop' || e.kind === 'partition') return 'fault';
  return 'minor';
}

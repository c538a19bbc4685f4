import type { Cluster } from '../cluster/cluster';
import { latestConfig } from '../cluster/oracle';
import type { ServerNode } from '../cluster/server';
import type { PersistentState } from '../raft/log';
import type { ClusterConfig, Entry, Role } from '../raft/types';

/**
 * A node's log as a persistent linked list: Raft logs only grow at the end, lose a suffix, or
 * lose a prefix to a snapshot, so every past log is a pointer into one shared chain and a frame
 * costs O(1) memory no matter how long the log is.
 */
export interface LogCell {
  readonly index: number;
  readonly entry: Entry;
  readonly prev: LogCell | null;
}

export interface FollowerProgress {
  readonly id: string;
  readonly matchIndex: number;
  readonly nextIndex: number;
  readonly state: 'probe' | 'replicate' | 'snapshot';
}

/**
 * Where a server stands in the cluster's configuration (the leader's, else the most advanced live
 * log's): a voter, a non-voter (rqlite's read-only replica), a non-voter that will be promoted once
 * it has caught up, or no longer a member.
 */
export type Membership = 'voter' | 'non-voter' | 'joining' | 'removed';

export interface NodeView {
  readonly id: string;
  readonly membership: Membership;
  readonly alive: boolean;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: string | null;
  readonly leaderId: string | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly lastIndex: number;
  readonly log: LogCell | null;
  readonly electionDeadline: number;
  /** When the election timer was last (re)armed: the arc drains from here to the deadline. */
  readonly timerStart: number;
  readonly votes: number;
  readonly voter: boolean;
  readonly progress: readonly FollowerProgress[];
  readonly transferTarget: string | null;
}

export interface NetView {
  readonly groups: readonly number[];
  readonly drop: number;
  readonly duplicate: number;
  readonly latencyMin: number;
  readonly latencyMax: number;
}

/** The drawable state of the whole cluster after one simulation step. */
export interface Frame {
  readonly time: number;
  /** world.eventCount after this step: events with seq < seqEnd had happened. */
  readonly seqEnd: number;
  readonly nodes: readonly NodeView[];
  readonly net: NetView;
}

function syncChain(prev: LogCell | null, st: PersistentState, donors: readonly (LogCell | null)[]): LogCell | null {
  const last = st.lastIndex;
  const snap = st.snapshot.index;
  if (prev && prev.index === last && (last <= snap || st.entry(last) === prev.entry)) return prev;
  let cell = prev;
  // Entries are shared by reference between logs, so identity tells where the old log still agrees.
  while (cell && (cell.index > last || (cell.index > snap && st.entry(cell.index) !== cell.entry))) cell = cell.prev;
  const from = Math.max(cell ? cell.index : 0, snap) + 1;
  if (from > last) return cell;
  // Another node's chain that already holds these entries on this very base is taken as it is:
  // followers append what the leader appended before them, so 9 nodes' logs are one chain, not 9.
  for (const d of donors) {
    const shared = sharedRun(d, cell, from, last, st);
    if (shared) return shared;
  }
  for (let i = from; i <= last; i++) cell = { index: i, entry: st.entry(i)!, prev: cell };
  return cell;
}

/** `donor`'s cell at `last` if cells `from`…`last` of its chain hold the log's entries and rest on `base`, else null. */
function sharedRun(donor: LogCell | null, base: LogCell | null, from: number, last: number, st: PersistentState): LogCell | null {
  let c = donor;
  while (c && c.index > last) c = c.prev;
  if (!c || c.index !== last) return null;
  const top = c;
  for (let i = last; i >= from; i--) {
    if (!c || c.index !== i || c.entry !== st.entry(i)) return null;
    c = c.prev;
  }
  return c === base ? top : null;
}

function sameProgress(a: readonly FollowerProgress[], s: ServerNode): boolean {
  const raft = s.proc.raft;
  if (!raft || raft.role !== 'leader') return a.length === 0;
  if (a.length !== raft.progress.size) return false;
  let i = 0;
  for (const pr of raft.progress.values()) {
    const b = a[i++];
    if (b.id !== pr.id || b.matchIndex !== pr.matchIndex || b.nextIndex !== pr.nextIndex || b.state !== pr.state) return false;
  }
  return true;
}

function countVotes(s: ServerNode): number {
  const raft = s.proc.raft;
  if (!raft || (raft.role !== 'candidate' && raft.role !== 'precandidate')) return 0;
  let n = 0;
  for (const v of raft.votes.values()) if (v) n++;
  return n;
}

function membershipOf(cluster: Cluster, cfg: ClusterConfig | null, id: string, prev: Membership | undefined): Membership {
  // With every node down there is no configuration to read: keep what was last seen.
  if (!cfg) return prev ?? 'voter';
  if (cfg.voters.includes(id)) return 'voter';
  if (cfg.learners.includes(id)) return cluster.membership.pendingPromotion(id) ? 'joining' : 'non-voter';
  return 'removed';
}

function viewOf(s: ServerNode, prev: NodeView | undefined, now: number, membership: Membership, donors: readonly (LogCell | null)[]): NodeView {
  const raft = s.proc.raft;
  const st = s.proc.storage;
  const log = syncChain(prev?.log ?? null, st, donors);
  const electionDeadline = raft ? raft.electionDeadline : Infinity;
  const role: Role = raft ? raft.role : 'follower';
  const votes = countVotes(s);
  const alive = raft !== null;
  const voter = raft ? raft.config.voters.includes(s.id) : (prev?.voter ?? true);
  const transferTarget = raft ? raft.transferTarget : null;
  if (
    prev &&
    prev.alive === alive &&
    prev.membership === membership &&
    prev.role === role &&
    prev.term === st.term &&
    prev.votedFor === st.votedFor &&
    prev.leaderId === (raft?.leaderId ?? null) &&
    prev.commitIndex === (raft?.commitIndex ?? prev.commitIndex) &&
    prev.lastApplied === (raft?.lastApplied ?? prev.lastApplied) &&
    prev.snapshotIndex === st.snapshot.index &&
    prev.log === log &&
    prev.electionDeadline === electionDeadline &&
    prev.votes === votes &&
    prev.voter === voter &&
    prev.transferTarget === transferTarget &&
    sameProgress(prev.progress, s)
  ) {
    return prev;
  }
  const progress: FollowerProgress[] = [];
  if (raft && raft.role === 'leader') {
    // A follower whose progress did not change keeps its object: a frame holds only what changed.
    const before = prev?.progress ?? [];
    let i = 0;
    for (const pr of raft.progress.values()) {
      const b = before[i++];
      const same = b && b.id === pr.id && b.matchIndex === pr.matchIndex && b.nextIndex === pr.nextIndex && b.state === pr.state;
      progress.push(same ? b : { id: pr.id, matchIndex: pr.matchIndex, nextIndex: pr.nextIndex, state: pr.state });
    }
  }
  return {
    id: s.id,
    membership,
    alive,
    role,
    term: st.term,
    votedFor: st.votedFor,
    leaderId: raft?.leaderId ?? null,
    // A crashed node's commit and applied indexes are volatile: keep the last known ones, dimmed.
    commitIndex: raft?.commitIndex ?? prev?.commitIndex ?? st.snapshot.index,
    lastApplied: raft?.lastApplied ?? prev?.lastApplied ?? st.snapshot.index,
    snapshotIndex: st.snapshot.index,
    snapshotTerm: st.snapshot.term,
    lastIndex: st.lastIndex,
    log,
    electionDeadline,
    timerStart: prev && prev.electionDeadline === electionDeadline ? prev.timerStart : now,
    votes,
    voter,
    progress,
    transferTarget,
  };
}

function netOf(cluster: Cluster, prev: NetView | undefined): NetView {
  const net = cluster.world.net;
  // Compared in place first: the network changes seldom, and every step records a frame.
  if (
    prev &&
    prev.drop === net.dropRate &&
    prev.duplicate === net.duplicateRate &&
    prev.latencyMin === net.latencyMin &&
    prev.latencyMax === net.latencyMax &&
    sameGroups(prev.groups, cluster, net)
  ) {
    return prev;
  }
  const groups: number[] = [];
  for (const id of cluster.servers.keys()) groups.push(net.groupOf(id));
  return { groups, drop: net.dropRate, duplicate: net.duplicateRate, latencyMin: net.latencyMin, latencyMax: net.latencyMax };
}

/** Whether each server is in the group `groups` says, in the servers' order. */
function sameGroups(groups: readonly number[], cluster: Cluster, net: Cluster['world']['net']): boolean {
  if (groups.length !== cluster.servers.size) return false;
  let i = 0;
  for (const id of cluster.servers.keys()) if (net.groupOf(id) !== groups[i++]) return false;
  return true;
}

export function captureFrame(cluster: Cluster, prev: Frame | undefined): Frame {
  const now = cluster.world.now;
  let changed = !prev || prev.nodes.length !== cluster.servers.size;
  const nodes: NodeView[] = [];
  const cfg = latestConfig(cluster.servers);
  // The logs a node's new cells may be taken from: the other nodes' as they were, and as they are.
  const donors: (LogCell | null)[] = prev ? prev.nodes.map((v) => v.log) : [];
  let i = 0;
  for (const s of cluster.servers.values()) {
    const before = prev?.nodes[i];
    const same = before && before.id === s.id ? before : undefined;
    const v = viewOf(s, same, now, membershipOf(cluster, cfg, s.id, same?.membership), donors);
    if (v.log !== before?.log) donors.push(v.log);
    if (v !== before) changed = true;
    nodes.push(v);
    i++;
  }
  const net = netOf(cluster, prev?.net);
  return {
    time: now,
    seqEnd: cluster.world.eventCount,
    nodes: changed || !prev ? nodes : prev.nodes,
    net,
  };
}

/** The last `max` entries of a log (oldest first), never below the snapshot boundary. */
export function logTail(v: NodeView, max: number): LogCell[] {
  const out: LogCell[] = [];
  for (let c = v.log; c && c.index > v.snapshotIndex && out.length < max; c = c.prev) out.push(c);
  return out.reverse();
}

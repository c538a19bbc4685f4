import { PersistentState } from './log';
import { Progress } from './progress';
import { isMember, isVoter, majority, quorumIndex } from './quorum';
import type {
  AppendEntries,
  AppendEntriesResp,
  ClusterConfig,
  Entry,
  EntryKind,
  InstallSnapshot,
  InstallSnapshotResp,
  NodeId,
  RaftMessage,
  RaftOptions,
  ReadState,
  RequestVote,
  RequestVoteResp,
  Role,
  Snapshot,
} from './types';

export type ProposeResult = { ok: true; index: number; term: number } | { ok: false; error: string };

interface PendingRead {
  ctx: number;
  index: number;
  seq: number;
}

interface IncomingSnapshot {
  index: number;
  term: number;
  config: ClusterConfig;
  chunks: Uint8Array[];
  received: number;
}

/**
 * One Raft server as a pure state machine. The host feeds it messages and timer expiries together
 * with the current time, then drains `msgs`, `readStates`, `pendingSnapshot` and committed entries.
 * It never reads a clock, never does I/O, and writes its durable state straight into `storage`.
 */
export class RaftNode {
  role: Role = 'follower';
  leaderId: NodeId | null = null;
  commitIndex: number;
  lastApplied: number;
  config: ClusterConfig;
  configIndex = 0;
  electionDeadline = Infinity;
  heartbeatDeadline = Infinity;
  lastLeaderContact = -Infinity;
  msgs: RaftMessage[] = [];
  readStates: ReadState[] = [];
  /** A snapshot the host must load into its state machine before applying more entries. */
  pendingSnapshot: Snapshot | null = null;
  transferTarget: NodeId | null = null;
  transferDeadline = Infinity;
  readonly votes = new Map<NodeId, boolean>();
  readonly progress = new Map<NodeId, Progress>();
  private lastHeard = new Map<NodeId, number>();
  private seq = 0;
  private pendingReads: PendingRead[] = [];
  private waitingReads: number[] = [];
  private incoming: IncomingSnapshot | null = null;
  private appendPending = false;

  constructor(
    readonly id: NodeId,
    readonly storage: PersistentState,
    readonly opts: RaftOptions,
    private readonly random: () => number,
    now: number,
  ) {
    this.commitIndex = storage.snapshot.index;
    this.lastApplied = storage.snapshot.index;
    this.config = storage.snapshot.config;
    this.recomputeConfig();
    if (storage.snapshot.index > 0) this.pendingSnapshot = storage.snapshot;
    this.resetElectionTimer(now);
  }

  get term(): number {
    return this.storage.term;
  }

  get lastIndex(): number {
    return this.storage.lastIndex;
  }

  /** Committed entries not yet handed to the state machine; the host applies them in order. */
  takeCommitted(): Entry[] {
    if (this.commitIndex <= this.lastApplied) return [];
    const out = this.storage.slice(this.lastApplied + 1, this.commitIndex + 1);
    this.lastApplied = this.commitIndex;
    return out;
  }

  /** The host snapshotted its state machine at `index` (≤ lastApplied): drop the log prefix. */
  compact(index: number, data: Uint8Array): void {
    if (index > this.lastApplied) return;
    this.storage.compact(index, data);
  }

  onElectionTimeout(now: number): void {
    if (this.role === 'leader') {
      this.electionDeadline = Infinity;
      return;
    }
    this.resetElectionTimer(now);
    this.leaderId = null;
    if (!isVoter(this.config, this.id)) return;
    if (this.opts.preVote) this.becomePreCandidate(now);
    else this.becomeCandidate(false, now);
  }

  onHeartbeatTimeout(now: number): void {
    if (this.role !== 'leader') {
      this.heartbeatDeadline = Infinity;
      return;
    }
    this.heartbeatDeadline = now + this.opts.heartbeatInterval;
    if (this.opts.checkQuorum && !this.hasRecentQuorum(now)) {
      this.becomeFollower(this.term, null, now);
      return;
    }
    if (this.transferTarget !== null && now >= this.transferDeadline) this.abortTransfer();
    this.seq++;
    for (const pr of this.progress.values()) {
      if (pr.state === 'replicate' && pr.matchIndex < pr.nextIndex - 1) {
        // Appends sent optimistically were not acknowledged for a while: assume loss and re-probe.
        if (now - pr.lastProgressAt > 2 * this.opts.heartbeatInterval) {
          pr.state = 'probe';
          pr.nextIndex = pr.matchIndex + 1;
        }
      }
      pr.paused = false;
      if (pr.state === 'replicate') this.sendHeartbeat(pr);
      else this.sendAppend(pr);
    }
  }

  propose(kind: EntryKind, data: unknown, now: number): ProposeResult {
    if (this.role !== 'leader') return { ok: false, error: 'not leader' };
    if (this.transferTarget !== null) return { ok: false, error: 'leadership transfer in progress' };
    const entry: Entry = { index: this.lastIndex + 1, term: this.term, kind, data };
    this.storage.append(entry);
    // Sent by flushAppends(), so proposals made together travel in one AppendEntries.
    this.appendPending = true;
    this.maybeCommit(now);
    return { ok: true, index: entry.index, term: entry.term };
  }

  /** Single-server membership change (Raft thesis §4.1): one uncommitted change at a time. */
  proposeConfig(config: ClusterConfig, now: number): ProposeResult {
    if (this.role !== 'leader') return { ok: false, error: 'not leader' };
    if (this.transferTarget !== null) return { ok: false, error: 'leadership transfer in progress' };
    if (this.configIndex > this.commitIndex) {
      return { ok: false, error: 'a configuration change is already in progress' };
    }
    const entry: Entry = { index: this.lastIndex + 1, term: this.term, kind: 'config', data: null, config };
    this.storage.append(entry);
    this.applyConfig(config, entry.index, now);
    this.appendPending = true;
    this.maybeCommit(now);
    return { ok: true, index: entry.index, term: entry.term };
  }

  /** Send what propose() appended since the last call: the host calls this before draining msgs. */
  flushAppends(): void {
    if (!this.appendPending) return;
    this.appendPending = false;
    if (this.role === 'leader') this.broadcastAppend();
  }

  /** ReadIndex (Raft thesis §6.4): confirm leadership with a heartbeat round, then read. */
  readIndex(ctx: number): boolean {
    if (this.role !== 'leader') return false;
    if (this.storage.termAt(this.commitIndex) !== this.term) this.waitingReads.push(ctx);
    else this.startRead(ctx);
    return true;
  }

  transferLeadership(target: NodeId, now: number): { ok: boolean; error?: string } {
    if (this.role !== 'leader') return { ok: false, error: 'not leader' };
    if (target === this.id) return { ok: false, error: `${target} is already the leader` };
    if (!isVoter(this.config, target)) return { ok: false, error: `${target} is not a voter` };
    const pr = this.progress.get(target);
    if (!pr) return { ok: false, error: `${target} is not a voter` };
    this.transferTarget = target;
    this.transferDeadline = now + this.opts.electionTimeoutMax;
    if (pr.matchIndex === this.lastIndex) this.send({ type: 'TimeoutNow', to: target });
    else this.sendAppend(pr);
    return { ok: true };
  }

  step(m: RaftMessage, now: number): void {
    if (m.term > this.term) {
      if (m.type === 'RequestVote' && this.inLease(m, now)) return;
      const prevoteTraffic =
        (m.type === 'RequestVote' && m.preVote) || (m.type === 'RequestVoteResp' && m.preVote && m.granted);
      if (!prevoteTraffic) {
        const fromLeader = m.type === 'AppendEntries' || m.type === 'InstallSnapshot' || m.type === 'TimeoutNow';
        this.becomeFollower(m.term, fromLeader ? m.from : null, now);
      }
    } else if (m.term < this.term) {
      // A stale leader or candidate learns the newer term from our answer and steps down.
      if (m.type === 'AppendEntries') this.rejectAppend(m, 0, 0);
      else if (m.type === 'InstallSnapshot') this.respondSnapshot(m, 0, false);
      else if (m.type === 'RequestVote') this.respondVote(m, false);
      return;
    }
    switch (m.type) {
      case 'RequestVote':
        return this.handleRequestVote(m, now);
      case 'RequestVoteResp':
        return this.handleVoteResp(m, now);
      case 'AppendEntries':
        return this.handleAppend(m, now);
      case 'AppendEntriesResp':
        return this.handleAppendResp(m, now);
      case 'InstallSnapshot':
        return this.handleSnapshot(m, now);
      case 'InstallSnapshotResp':
        return this.handleSnapshotResp(m, now);
      case 'TimeoutNow':
        if (this.role !== 'leader' && isVoter(this.config, this.id)) this.becomeCandidate(true, now);
        return;
    }
  }

  // ---- elections ----

  private inLease(m: RequestVote, now: number): boolean {
    // Thesis §4.2.3: ignore votes while a leader is known to be alive, so a removed or rejoining
    // server cannot depose it. A transfer's RequestVote is legitimate and bypasses this.
    if (m.transfer) return false;
    if (this.role === 'leader') return this.opts.checkQuorum;
    return this.leaderId !== null && now - this.lastLeaderContact < this.opts.electionTimeoutMin;
  }

  private becomePreCandidate(now: number): void {
    this.role = 'precandidate';
    this.votes.clear();
    this.votes.set(this.id, true);
    this.requestVotes(true, false, now);
  }

  private becomeCandidate(transfer: boolean, now: number): void {
    this.storage.term += 1;
    this.storage.votedFor = this.id;
    this.role = 'candidate';
    this.leaderId = null;
    this.resetElectionTimer(now);
    this.votes.clear();
    this.votes.set(this.id, true);
    this.requestVotes(false, transfer, now);
  }

  private requestVotes(preVote: boolean, transfer: boolean, now: number): void {
    const term = preVote ? this.term + 1 : this.term;
    for (const to of this.config.voters) {
      if (to === this.id) continue;
      this.msgs.push({
        type: 'RequestVote', from: this.id, to, term, preVote, transfer,
        lastLogIndex: this.lastIndex, lastLogTerm: this.storage.lastTerm(),
      });
    }
    this.tallyVotes(now);
  }

  private tallyVotes(now: number): void {
    let granted = 0;
    let rejected = 0;
    for (const v of this.votes.values()) {
      if (v) granted++;
      else rejected++;
    }
    const need = majority(this.config);
    if (granted >= need) {
      if (this.role === 'precandidate') this.becomeCandidate(false, now);
      else this.becomeLeader(now);
    } else if (rejected >= need) {
      this.becomeFollower(this.term, null, now);
    }
  }

  private handleRequestVote(m: RequestVote, now: number): void {
    const upToDate =
      m.lastLogTerm > this.storage.lastTerm() ||
      (m.lastLogTerm === this.storage.lastTerm() && m.lastLogIndex >= this.lastIndex);
    if (m.preVote) {
      this.msgs.push({
        type: 'RequestVoteResp', from: this.id, to: m.from, preVote: true,
        granted: m.term > this.term && upToDate, term: m.term > this.term && upToDate ? m.term : this.term,
      });
      return;
    }
    const free = this.storage.votedFor === null || this.storage.votedFor === m.from || this.opts.unsafeDoubleVote;
    const grant = free && upToDate && this.role !== 'leader';
    if (grant) {
      this.storage.votedFor = m.from;
      this.resetElectionTimer(now);
    }
    this.respondVote(m, grant);
  }

  private respondVote(m: RequestVote, granted: boolean): void {
    this.msgs.push({ type: 'RequestVoteResp', from: this.id, to: m.from, term: this.term, granted, preVote: m.preVote });
  }

  private handleVoteResp(m: RequestVoteResp, now: number): void {
    const expected = m.preVote ? 'precandidate' : 'candidate';
    if (this.role !== expected) return;
    if (m.preVote && m.granted && m.term !== this.term + 1) return;
    this.votes.set(m.from, m.granted);
    this.tallyVotes(now);
  }

  private becomeLeader(now: number): void {
    this.role = 'leader';
    this.leaderId = this.id;
    this.electionDeadline = Infinity;
    this.heartbeatDeadline = now + this.opts.heartbeatInterval;
    this.transferTarget = null;
    this.lastHeard.clear();
    this.resetProgress(now);
    this.storage.append({ index: this.lastIndex + 1, term: this.term, kind: 'noop', data: null });
    this.broadcastAppend();
    this.maybeCommit(now);
  }

  private becomeFollower(term: number, leader: NodeId | null, now: number): void {
    if (term > this.term) {
      this.storage.term = term;
      this.storage.votedFor = null;
    }
    // A deposed leader was in touch with the cluster until now: its data is that fresh.
    if (leader !== null || this.role === 'leader') this.lastLeaderContact = now;
    this.role = 'follower';
    this.leaderId = leader;
    this.heartbeatDeadline = Infinity;
    this.transferTarget = null;
    this.progress.clear();
    this.pendingReads = [];
    this.waitingReads = [];
    this.resetElectionTimer(now);
  }

  private resetElectionTimer(now: number): void {
    const { electionTimeoutMin: lo, electionTimeoutMax: hi } = this.opts;
    this.electionDeadline = now + lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private hasRecentQuorum(now: number): boolean {
    let n = 0;
    for (const v of this.config.voters) {
      if (v === this.id || now - (this.lastHeard.get(v) ?? -Infinity) <= this.opts.electionTimeoutMax) n++;
    }
    return n >= majority(this.config);
  }

  private abortTransfer(): void {
    this.transferTarget = null;
    this.transferDeadline = Infinity;
  }

  // ---- replication, leader side ----

  private resetProgress(now: number): void {
    this.progress.clear();
    for (const id of [...this.config.voters, ...this.config.learners]) {
      if (id === this.id) continue;
      const pr = new Progress(id, this.lastIndex);
      pr.lastProgressAt = now;
      this.progress.set(id, pr);
      this.lastHeard.set(id, now);
    }
  }

  private broadcastAppend(): void {
    for (const pr of this.progress.values()) {
      if (pr.state === 'replicate' || (pr.state === 'probe' && !pr.paused)) this.sendAppend(pr);
    }
  }

  private send(m: { type: 'TimeoutNow'; to: NodeId }): void {
    this.msgs.push({ ...m, from: this.id, term: this.term });
  }

  private sendHeartbeat(pr: Progress): void {
    if (pr.matchIndex < this.storage.snapshot.index) return this.sendAppend(pr);
    this.msgs.push({
      type: 'AppendEntries', from: this.id, to: pr.id, term: this.term, seq: this.seq,
      prevLogIndex: pr.matchIndex, prevLogTerm: this.storage.termAt(pr.matchIndex), entries: [],
      leaderCommit: Math.min(this.commitIndex, pr.matchIndex),
    });
  }

  private sendAppend(pr: Progress): void {
    if (pr.nextIndex <= this.storage.snapshot.index) return this.sendSnapshotChunk(pr);
    const prev = pr.nextIndex - 1;
    const end = Math.min(this.lastIndex + 1, pr.nextIndex + this.opts.maxEntriesPerAppend);
    const entries = this.storage.slice(pr.nextIndex, end);
    this.msgs.push({
      type: 'AppendEntries', from: this.id, to: pr.id, term: this.term, seq: this.seq,
      prevLogIndex: prev, prevLogTerm: this.storage.termAt(prev), entries, leaderCommit: this.commitIndex,
    });
    if (pr.state === 'replicate') pr.nextIndex = end;
    else pr.paused = true;
  }

  private sendSnapshotChunk(pr: Progress): void {
    const snap = this.storage.snapshot;
    if (pr.state !== 'snapshot' || pr.snapshotIndex !== snap.index) {
      pr.state = 'snapshot';
      pr.snapshotIndex = snap.index;
      pr.snapshotOffset = 0;
    }
    const size = this.opts.snapshotChunkSize;
    const end = Math.min(snap.data.length, pr.snapshotOffset + size);
    this.msgs.push({
      type: 'InstallSnapshot', from: this.id, to: pr.id, term: this.term, seq: this.seq,
      lastIncludedIndex: snap.index, lastIncludedTerm: snap.term, config: snap.config,
      offset: pr.snapshotOffset, total: snap.data.length, chunk: snap.data.subarray(pr.snapshotOffset, end),
      done: end >= snap.data.length,
    });
  }

  private handleAppendResp(m: AppendEntriesResp, now: number): void {
    if (this.role !== 'leader') return;
    const pr = this.progress.get(m.from);
    if (!pr) return;
    this.ack(pr, m.seq, now);
    if (m.success) {
      if (m.matchIndex > pr.matchIndex) {
        pr.matchIndex = m.matchIndex;
        pr.lastProgressAt = now;
        if (pr.state === 'probe' || (pr.state === 'snapshot' && pr.matchIndex >= pr.snapshotIndex)) pr.state = 'replicate';
        pr.paused = false;
        this.maybeCommit(now);
        if (this.role !== 'leader') return;
      }
      pr.nextIndex = Math.max(pr.nextIndex, pr.matchIndex + 1);
      if (this.transferTarget === m.from && pr.matchIndex === this.lastIndex) {
        this.send({ type: 'TimeoutNow', to: m.from });
      } else if (pr.nextIndex <= this.lastIndex && pr.state !== 'snapshot') {
        this.sendAppend(pr);
      }
      return;
    }
    if (pr.state === 'replicate' ? m.rejectIndex <= pr.matchIndex : m.rejectIndex !== pr.nextIndex - 1) return;
    pr.rejections++;
    pr.state = 'probe';
    pr.paused = false;
    pr.nextIndex = Math.max(pr.matchIndex + 1, Math.min(this.backtrackTo(m), m.rejectIndex));
    this.sendAppend(pr);
  }

  /** Where to retry after a rejection: one step back, or the follower's conflict hint (§5.3). */
  private backtrackTo(m: AppendEntriesResp): number {
    if (!this.opts.fastBacktrack) return m.rejectIndex;
    if (m.conflictTerm > 0) {
      for (let i = Math.min(m.rejectIndex, this.lastIndex); i > this.storage.snapshot.index; i--) {
        const t = this.storage.termAt(i);
        if (t === m.conflictTerm) return i + 1;
        if (t < m.conflictTerm) break;
      }
    }
    return m.conflictIndex;
  }

  private handleSnapshotResp(m: InstallSnapshotResp, now: number): void {
    if (this.role !== 'leader') return;
    const pr = this.progress.get(m.from);
    if (!pr) return;
    this.ack(pr, m.seq, now);
    if (pr.state !== 'snapshot' || m.lastIncludedIndex !== pr.snapshotIndex) return;
    if (m.done) {
      pr.matchIndex = Math.max(pr.matchIndex, m.lastIncludedIndex);
      pr.nextIndex = pr.matchIndex + 1;
      pr.lastProgressAt = now;
      pr.state = 'probe';
      pr.paused = false;
      this.maybeCommit(now);
      if (this.role === 'leader') this.sendAppend(pr);
    } else {
      pr.snapshotOffset = m.nextOffset;
      this.sendSnapshotChunk(pr);
    }
  }

  private ack(pr: Progress, seq: number, now: number): void {
    this.lastHeard.set(pr.id, now);
    if (seq > pr.ackedSeq) pr.ackedSeq = seq;
    while (this.pendingReads.length > 0) {
      const r = this.pendingReads[0];
      let acks = 0;
      for (const v of this.config.voters) {
        if (v === this.id || (this.progress.get(v)?.ackedSeq ?? 0) >= r.seq) acks++;
      }
      if (acks < majority(this.config)) break;
      this.pendingReads.shift();
      this.readStates.push({ ctx: r.ctx, index: r.index });
    }
  }

  private startRead(ctx: number): void {
    this.seq++;
    this.pendingReads.push({ ctx, index: this.commitIndex, seq: this.seq });
    if (this.config.voters.length === 1 && isVoter(this.config, this.id)) {
      this.pendingReads.pop();
      this.readStates.push({ ctx, index: this.commitIndex });
      return;
    }
    for (const pr of this.progress.values()) this.sendHeartbeat(pr);
  }

  private maybeCommit(now: number): void {
    const q = quorumIndex(this.config, (id) =>
      id === this.id ? this.lastIndex : (this.progress.get(id)?.matchIndex ?? 0),
    );
    if (q <= this.commitIndex) return;
    // Figure 8: only entries of the current term are committed by counting replicas.
    if (this.storage.termAt(q) !== this.term && !this.opts.unsafeCommitOldTerms) return;
    this.commitIndex = q;
    if (this.waitingReads.length > 0 && this.storage.termAt(q) === this.term) {
      const waiting = this.waitingReads;
      this.waitingReads = [];
      for (const ctx of waiting) this.startRead(ctx);
    }
    if (this.commitIndex >= this.configIndex && !isVoter(this.config, this.id)) {
      // A leader that removed itself hands over once the change is committed (thesis §4.2.2).
      this.becomeFollower(this.term, null, now);
    }
  }

  private applyConfig(config: ClusterConfig, index: number, now: number): void {
    this.config = config;
    this.configIndex = index;
    if (this.role !== 'leader') return;
    for (const id of [...config.voters, ...config.learners]) {
      if (id === this.id || this.progress.has(id)) continue;
      const pr = new Progress(id, this.lastIndex);
      pr.nextIndex = Math.max(1, this.storage.snapshot.index);
      pr.lastProgressAt = now;
      this.progress.set(id, pr);
      this.lastHeard.set(id, now);
    }
    for (const id of [...this.progress.keys()]) if (!isMember(config, id)) this.progress.delete(id);
  }

  private recomputeConfig(): void {
    for (let i = this.lastIndex; i > this.storage.snapshot.index; i--) {
      const e = this.storage.entry(i)!;
      if (e.kind === 'config' && e.config) {
        this.config = e.config;
        this.configIndex = i;
        return;
      }
    }
    this.config = this.storage.snapshot.config;
    this.configIndex = this.storage.snapshot.index;
  }

  // ---- replication, follower side ----

  private followLeader(m: AppendEntries | InstallSnapshot, now: number): void {
    if (this.role !== 'follower') this.becomeFollower(this.term, m.from, now);
    this.leaderId = m.from;
    this.lastLeaderContact = now;
    this.resetElectionTimer(now);
  }

  private handleAppend(m: AppendEntries, now: number): void {
    if (this.role === 'leader') return;
    this.followLeader(m, now);
    const snapIndex = this.storage.snapshot.index;
    if (m.prevLogIndex > this.lastIndex) return this.rejectAppend(m, this.lastIndex + 1, 0);
    if (m.prevLogIndex >= snapIndex && this.storage.termAt(m.prevLogIndex) !== m.prevLogTerm) {
      const ct = this.storage.termAt(m.prevLogIndex);
      let first = m.prevLogIndex;
      while (first - 1 > snapIndex && this.storage.termAt(first - 1) === ct) first--;
      return this.rejectAppend(m, this.opts.fastBacktrack ? first : m.prevLogIndex, ct);
    }
    let configChanged = false;
    for (const e of m.entries) {
      if (e.index <= snapIndex) continue;
      if (e.index <= this.lastIndex) {
        if (this.storage.termAt(e.index) === e.term) continue;
        if (e.index <= this.configIndex) configChanged = true;
        this.storage.truncateFrom(e.index);
      }
      this.storage.append(e);
      if (e.kind === 'config') configChanged = true;
    }
    if (configChanged) this.recomputeConfig();
    const lastNew = m.prevLogIndex + m.entries.length;
    const commit = Math.min(m.leaderCommit, lastNew);
    if (commit > this.commitIndex) this.commitIndex = commit;
    this.msgs.push({
      type: 'AppendEntriesResp', from: this.id, to: m.from, term: this.term, success: true,
      matchIndex: lastNew, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: m.seq,
    });
  }

  private rejectAppend(m: AppendEntries, conflictIndex: number, conflictTerm: number): void {
    this.msgs.push({
      type: 'AppendEntriesResp', from: this.id, to: m.from, term: this.term, success: false,
      matchIndex: 0, rejectIndex: m.prevLogIndex, conflictIndex, conflictTerm, seq: m.seq,
    });
  }

  private handleSnapshot(m: InstallSnapshot, now: number): void {
    if (this.role === 'leader') return;
    this.followLeader(m, now);
    if (m.lastIncludedIndex <= this.commitIndex) return this.respondSnapshot(m, m.total, true);
    let inc = this.incoming;
    if (!inc || inc.index !== m.lastIncludedIndex || inc.term !== m.lastIncludedTerm) {
      if (m.offset !== 0) return this.respondSnapshot(m, 0, false);
      inc = { index: m.lastIncludedIndex, term: m.lastIncludedTerm, config: m.config, chunks: [], received: 0 };
      this.incoming = inc;
    }
    if (m.offset !== inc.received) return this.respondSnapshot(m, inc.received, false);
    inc.chunks.push(m.chunk);
    inc.received += m.chunk.length;
    if (!m.done) return this.respondSnapshot(m, inc.received, false);
    const data = new Uint8Array(inc.received);
    let off = 0;
    for (const c of inc.chunks) {
      data.set(c, off);
      off += c.length;
    }
    const snap: Snapshot = { index: inc.index, term: inc.term, config: inc.config, data };
    this.incoming = null;
    this.storage.installSnapshot(snap);
    this.commitIndex = Math.max(this.commitIndex, snap.index);
    this.lastApplied = snap.index;
    this.pendingSnapshot = snap;
    this.recomputeConfig();
    this.respondSnapshot(m, m.total, true);
  }

  private respondSnapshot(m: InstallSnapshot, nextOffset: number, done: boolean): void {
    this.msgs.push({
      type: 'InstallSnapshotResp', from: this.id, to: m.from, term: this.term,
      lastIncludedIndex: m.lastIncludedIndex, nextOffset, done, seq: m.seq,
    });
  }
}

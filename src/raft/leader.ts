import { RaftFollower } from './follower';
import { Progress } from './progress';
import { isMember, majority, quorumIndex, isVoter } from './quorum';
import type { AppendEntriesResp, ClusterConfig, Entry, InstallSnapshotResp, NodeId } from './types';

/** The leader's side of replication: progress per follower, commit, ReadIndex, snapshots. */
export abstract class RaftLeader extends RaftFollower {
  protected hasRecentQuorum(now: number): boolean {
    let n = 0;
    for (const v of this.config.voters) {
      if (v === this.id || now - (this.lastHeard.get(v) ?? -Infinity) <= this.opts.electionTimeoutMax) n++;
    }
    return n >= majority(this.config);
  }

  protected resetProgress(now: number): void {
    this.progress.clear();
    for (const id of [...this.config.voters, ...this.config.learners]) {
      if (id === this.id) continue;
      const pr = new Progress(id, this.lastIndex);
      pr.lastProgressAt = now;
      this.progress.set(id, pr);
      this.lastHeard.set(id, now);
    }
  }

  protected broadcastAppend(): void {
    for (const pr of this.progress.values()) {
      if (pr.state === 'replicate' || (pr.state === 'probe' && !pr.paused)) this.sendAppend(pr);
    }
  }

  protected send(m: { type: 'TimeoutNow'; to: NodeId }): void {
    this.msgs.push({ ...m, from: this.id, term: this.term });
  }

  /** An empty append at the follower's known match point: asserts leadership, carries the commit. */
  protected sendHeartbeat(pr: Progress): void {
    if (pr.matchIndex < this.storage.snapshot.index) return this.sendAppend(pr);
    this.pushAppend(pr, pr.matchIndex, [], Math.min(this.commitIndex, pr.matchIndex));
  }

  protected sendAppend(pr: Progress): void {
    if (pr.nextIndex <= this.storage.snapshot.index) return this.sendSnapshotChunk(pr);
    const end = Math.min(this.lastIndex + 1, pr.nextIndex + this.opts.maxEntriesPerAppend);
    this.pushAppend(pr, pr.nextIndex - 1, this.storage.slice(pr.nextIndex, end), this.commitIndex);
    if (pr.state === 'replicate') pr.nextIndex = end;
    else pr.paused = true;
  }

  private pushAppend(pr: Progress, prev: number, entries: Entry[], leaderCommit: number): void {
    this.msgs.push({
      type: 'AppendEntries',
      from: this.id,
      to: pr.id,
      term: this.term,
      seq: this.seq,
      prevLogIndex: prev,
      prevLogTerm: this.storage.termAt(prev),
      entries,
      leaderCommit,
    });
  }

  protected sendSnapshotChunk(pr: Progress): void {
    const snap = this.storage.snapshot;
    if (pr.state !== 'snapshot' || pr.snapshotIndex !== snap.index) {
      pr.state = 'snapshot';
      pr.snapshotIndex = snap.index;
      pr.snapshotOffset = 0;
    }
    const size = this.opts.snapshotChunkSize;
    const end = Math.min(snap.data.length, pr.snapshotOffset + size);
    this.msgs.push({
      type: 'InstallSnapshot',
      from: this.id,
      to: pr.id,
      term: this.term,
      seq: this.seq,
      lastIncludedIndex: snap.index,
      lastIncludedTerm: snap.term,
      config: snap.config,
      offset: pr.snapshotOffset,
      total: snap.data.length,
      chunk: snap.data.subarray(pr.snapshotOffset, end),
      done: end >= snap.data.length,
    });
  }

  protected handleAppendResp(m: AppendEntriesResp, now: number): void {
    if (this.role !== 'leader') return;
    const pr = this.progress.get(m.from);
    if (!pr) return;
    this.ack(pr, m.seq, now);
    if (m.success) {
      if (m.matchIndex > pr.matchIndex) {
        pr.matchIndex = m.matchIndex;
        pr.lastProgressAt = now;
        if (pr.state === 'probe' || (pr.state === 'snapshot' && pr.matchIndex >= pr.snapshotIndex))
          pr.state = 'replicate';
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
    if (pr.state === 'replicate' ? m.rejectIndex <= pr.matchIndex : m.rejectIndex !== pr.nextIndex - 1)
      return;
    pr.rejections++;
    pr.state = 'probe';
    pr.paused = false;
    pr.nextIndex = Math.max(pr.matchIndex + 1, Math.min(this.backtrackTo(m), m.rejectIndex));
    this.sendAppend(pr);
  }

  /** Where to retry after a rejection: one step back, or the follower's conflict hint (§5.3). */
  protected backtrackTo(m: AppendEntriesResp): number {
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

  protected handleSnapshotResp(m: InstallSnapshotResp, now: number): void {
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

  protected ack(pr: Progress, seq: number, now: number): void {
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

  protected startRead(ctx: number): void {
    this.seq++;
    this.pendingReads.push({ ctx, index: this.commitIndex, seq: this.seq });
    if (this.config.voters.length === 1 && isVoter(this.config, this.id)) {
      this.pendingReads.pop();
      this.readStates.push({ ctx, index: this.commitIndex });
      return;
    }
    for (const pr of this.progress.values()) this.sendHeartbeat(pr);
  }

  /** How far `id`'s log is known to match the leader's (the leader's own: all of it). */
  private matchOf(id: NodeId): number {
    return id === this.id ? this.lastIndex : (this.progress.get(id)?.matchIndex ?? 0);
  }

  protected maybeCommit(now: number): void {
    // Called on every acknowledgement: no closure per call (a named one costs a defineProperty under tsx).
    const q = quorumIndex(this.config, (id) => this.matchOf(id));
    if (q <= this.commitIndex) return;
    // Figure 8: only entries of the current term are committed by counting replicas.
    const entryTerm = this.storage.termAt(q);
    if (entryTerm !== this.term && !this.opts.unsafeCommitOldTerms) return;
    this.note({
      code: 'commit-by-quorum',
      from: this.commitIndex,
      to: q,
      term: this.term,
      entryTerm,
      currentTerm: entryTerm === this.term,
      matches: this.config.voters.map((id) => ({ node: id, matchIndex: this.matchOf(id) })),
      voters: [...this.config.voters],
      quorum: majority(this.config),
    });
    this.commitIndex = q;
    if (this.waitingReads.length > 0 && this.storage.termAt(q) === this.term) {
      const waiting = this.waitingReads;
      this.waitingReads = [];
      for (const ctx of waiting) this.startRead(ctx);
    }
    if (this.commitIndex >= this.configIndex && !isVoter(this.config, this.id)) {
      // A leader that removed itself hands over once the change is committed (thesis §4.2.2).
      this.becomeFollower(this.term, null, now, { why: 'removed', configIndex: this.configIndex });
    }
  }

  protected applyConfig(config: ClusterConfig, index: number, now: number): void {
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
}

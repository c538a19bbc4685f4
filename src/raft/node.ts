import { isVoter, majority } from './quorum';
import { RaftLeader } from './leader';
import type {
  ClusterConfig,
  Entry,
  EntryKind,
  NodeId,
  RaftRefusal,
  Ready,
  RaftMessage,
  RequestVote,
  RequestVoteResp,
} from './types';

export type ProposeResult = { ok: true; index: number; term: number } | { ok: false; refusal: RaftRefusal };

/**
 * One Raft server as a pure state machine. The host feeds it messages and timer expiries together
 * with the current time, then takes what it must do as values: `ready()` for its state machine and
 * `outbox()` for the network. It never reads a clock, never does I/O, and writes its durable state
 * straight into `storage`.
 */
export class RaftNode extends RaftLeader {
  /** The state machine's work since the last call; taking it hands the entries over (lastApplied moves). */
  ready(): Ready {
    const snapshot = this.pendingSnapshot;
    this.pendingSnapshot = null;
    const readStates = this.readStates;
    this.readStates = [];
    return { snapshot, committed: this.takeCommitted(), readStates };
  }

  /** Messages to send now, with one AppendEntries round for everything proposed since the last call. */
  outbox(): RaftMessage[] {
    this.flushAppends();
    const out = this.msgs;
    this.msgs = [];
    return out;
  }

  private takeCommitted(): Entry[] {
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
    if (!this.mayCampaign()) return;
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
    const refused = this.refuseProposal();
    if (refused) return { ok: false, refusal: refused };
    const entry: Entry = { index: this.lastIndex + 1, term: this.term, kind, data };
    this.storage.append(entry);
    // Sent by outbox(), so proposals made together travel in one AppendEntries.
    this.appendPending = true;
    this.maybeCommit(now);
    return { ok: true, index: entry.index, term: entry.term };
  }

  /** Single-server membership change (Raft thesis §4.1): one uncommitted change at a time. */
  proposeConfig(config: ClusterConfig, now: number): ProposeResult {
    const refused = this.refuseProposal();
    if (refused) return { ok: false, refusal: refused };
    if (this.configIndex > this.commitIndex) return { ok: false, refusal: { code: 'change-in-progress' } };
    // The fix for the single-server change bug (raft-dev, 2015): a new leader must first commit an
    // entry of its own term, or two changes decided by different leaders could overlap.
    if (this.storage.termAt(this.commitIndex) !== this.term) return { ok: false, refusal: { code: 'leader-not-committed' } };
    const entry: Entry = { index: this.lastIndex + 1, term: this.term, kind: 'config', data: null, config };
    this.storage.append(entry);
    this.applyConfig(config, entry.index, now);
    this.appendPending = true;
    this.maybeCommit(now);
    return { ok: true, index: entry.index, term: entry.term };
  }

  private refuseProposal(): RaftRefusal | null {
    if (this.role !== 'leader') return { code: 'not-leader' };
    if (this.transferTarget !== null) return { code: 'transfer-in-progress' };
    return null;
  }

  /** Send what propose() appended since the last call. */
  private flushAppends(): void {
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

  transferLeadership(target: NodeId, now: number): { ok: true } | { ok: false; refusal: RaftRefusal } {
    if (this.role !== 'leader') return { ok: false, refusal: { code: 'not-leader' } };
    if (target === this.id) return { ok: false, refusal: { code: 'already-leader', node: target } };
    const pr = isVoter(this.config, target) ? this.progress.get(target) : undefined;
    if (!pr) return { ok: false, refusal: { code: 'not-voter', node: target } };
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
        const fromLeader =
          m.type === 'AppendEntries' || m.type === 'InstallSnapshot' || m.type === 'TimeoutNow';
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
        if (this.role !== 'leader' && this.mayCampaign()) this.becomeCandidate(true, now);
        return;
    }
  }

  private inLease(m: RequestVote, now: number): boolean {
    // Thesis §4.2.3: ignore votes while a leader is known to be alive, so a removed or rejoining
    // server cannot depose it. A transfer's RequestVote is legitimate and bypasses this.
    if (m.transfer) return false;
    if (this.role === 'leader') return this.opts.checkQuorum;
    return this.leaderId !== null && now - this.lastLeaderContact < this.opts.electionTimeoutMin;
  }

  /**
   * A voter may campaign; so may a server whose own removal is still uncommitted in its log. Without
   * that, a leader that steps down (check-quorum) right after appending its removal holds the longest
   * log and refuses everyone's votes, yet may not run: the cluster would never elect again. It counts
   * votes in the new configuration, so winning means a majority of it, and it then commits its removal
   * and steps down as any self-removing leader does.
   */
  private mayCampaign(): boolean {
    if (isVoter(this.config, this.id)) return true;
    return this.configIndex > this.commitIndex && isVoter(this.previousConfig(), this.id);
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
        type: 'RequestVote',
        from: this.id,
        to,
        term,
        preVote,
        transfer,
        lastLogIndex: this.lastIndex,
        lastLogTerm: this.storage.lastTerm(),
      });
    }
    this.tallyVotes(now);
  }

  private tallyVotes(now: number): void {
    let granted = 0;
    let rejected = 0;
    for (const [id, v] of this.votes) {
      if (!isVoter(this.config, id)) continue;
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
        type: 'RequestVoteResp',
        from: this.id,
        to: m.from,
        preVote: true,
        granted: m.term > this.term && upToDate,
        term: m.term > this.term && upToDate ? m.term : this.term,
      });
      return;
    }
    const free =
      this.storage.votedFor === null || this.storage.votedFor === m.from || this.opts.unsafeDoubleVote;
    const grant = free && upToDate && this.role !== 'leader';
    if (grant) {
      this.storage.votedFor = m.from;
      this.resetElectionTimer(now);
    }
    this.respondVote(m, grant);
  }

  private respondVote(m: RequestVote, granted: boolean): void {
    this.msgs.push({
      type: 'RequestVoteResp',
      from: this.id,
      to: m.from,
      term: this.term,
      granted,
      preVote: m.preVote,
    });
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

  // ---- replication, follower side ----
}

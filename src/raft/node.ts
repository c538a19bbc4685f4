import { isVoter, majority } from './quorum';
import { RaftElection } from './election';
import type {
  ClusterConfig,
  Entry,
  EntryKind,
  NodeId,
  RaftRefusal,
  Ready,
  RaftMessage,
} from './types';

export type ProposeResult = { ok: true; index: number; term: number } | { ok: false; refusal: RaftRefusal };

/**
 * One Raft server as a pure state machine. The host feeds it messages and timer expiries together
 * with the current time, then takes what it must do as values: `ready()` for its state machine and
 * `outbox()` for the network. It never reads a clock, never does I/O, and writes its durable state
 * straight into `storage`.
 */
export class RaftNode extends RaftElection {
  /** The state machine's work since the last call; taking it hands the entries over (lastApplied moves). */
  ready(): Ready {
    const snapshot = this.pendingSnapshot;
    this.pendingSnapshot = null;
    const readStates = this.readStates;
    this.readStates = [];
    const committed = this.takeCommitted();
    const reasons = this.reasons;
    this.reasons = [];
    return { snapshot, committed, readStates, reasons };
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
    this.note({ code: 'applied', from: this.lastApplied + 1, to: this.commitIndex, commitIndex: this.commitIndex });
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
    const deadline = this.electionDeadline;
    const lastLeader = this.leaderId;
    this.resetElectionTimer(now);
    this.leaderId = null;
    if (!this.mayCampaign()) return;
    this.note({ code: 'election-timeout', term: this.term, deadline, preVote: this.opts.preVote, lastLeader });
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
      const window = this.opts.electionTimeoutMax;
      const heard = this.config.voters.filter((v) => v === this.id || now - (this.lastHeard.get(v) ?? -Infinity) <= window);
      const quorum = majority(this.config);
      this.becomeFollower(this.term, null, now, { why: 'check-quorum', heard, voters: [...this.config.voters], quorum, window });
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
    this.note({ code: 'proposed', index: entry.index, term: entry.term, kind });
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
    this.note({ code: 'proposed', index: entry.index, term: entry.term, kind: 'config' });
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
    this.note({ code: 'leader-transfer', target, term: this.term });
    if (pr.matchIndex === this.lastIndex) this.send({ type: 'TimeoutNow', to: target });
    else this.sendAppend(pr);
    return { ok: true };
  }

  step(m: RaftMessage, now: number): void {
    if (m.term > this.term) {
      if (m.type === 'RequestVote' && this.inLease(m, now)) {
        const heardAgo = now - this.lastLeaderContact;
        this.note({ code: 'vote-ignored', candidate: m.from, term: m.term, leader: this.leaderId, heardAgo });
        return;
      }
      const prevoteTraffic =
        (m.type === 'RequestVote' && m.preVote) || (m.type === 'RequestVoteResp' && m.preVote && m.granted);
      if (!prevoteTraffic) {
        const fromLeader =
          m.type === 'AppendEntries' || m.type === 'InstallSnapshot' || m.type === 'TimeoutNow';
        const cause = { why: 'higher-term', from: m.from, message: m.type, oldTerm: this.term } as const;
        this.becomeFollower(m.term, fromLeader ? m.from : null, now, cause);
      }
    } else if (m.term < this.term) {
      // A stale leader or candidate learns the newer term from our answer and steps down.
      const stale = { why: 'stale-term' } as const;
      if (m.type === 'AppendEntries') {
        this.note({ code: 'append-rejected', leader: m.from, term: m.term, prev: { index: m.prevLogIndex, term: m.prevLogTerm }, refusal: stale });
        this.rejectAppend(m, 0, 0);
      } else if (m.type === 'InstallSnapshot') this.respondSnapshot(m, 0, false);
      else if (m.type === 'RequestVote') {
        this.noteVote(m, stale);
        this.respondVote(m, false);
      }
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
        if (this.role !== 'leader' && this.mayCampaign()) {
          this.note({ code: 'timeout-now', from: m.from, term: this.term });
          this.becomeCandidate(true, now);
        }
        return;
    }
  }
}

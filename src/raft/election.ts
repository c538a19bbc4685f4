import { isVoter, majority } from './quorum';
import { RaftLeader } from './leader';
import type { LogPoint, VoteRefusal } from './reasons';
import type { RequestVote, RequestVoteResp } from './types';

/** Elections (§5.2, §5.4.1), with pre-vote (thesis §9.6) and the vote lease (thesis §4.2.3). */
export abstract class RaftElection extends RaftLeader {
  protected inLease(m: RequestVote, now: number): boolean {
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
  protected mayCampaign(): boolean {
    if (isVoter(this.config, this.id)) return true;
    return this.configIndex > this.commitIndex && isVoter(this.previousConfig(), this.id);
  }

  protected becomePreCandidate(now: number): void {
    this.role = 'precandidate';
    this.votes.clear();
    this.votes.set(this.id, true);
    this.requestVotes(true, false, now);
  }

  protected becomeCandidate(transfer: boolean, now: number): void {
    this.storage.term += 1;
    this.storage.votedFor = this.id;
    this.role = 'candidate';
    this.leaderId = null;
    this.resetElectionTimer(now);
    this.votes.clear();
    this.votes.set(this.id, true);
    this.requestVotes(false, transfer, now);
  }

  protected requestVotes(preVote: boolean, transfer: boolean, now: number): void {
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

  protected tallyVotes(now: number): void {
    const granted: string[] = [];
    const refused: string[] = [];
    for (const [id, v] of this.votes) {
      if (!isVoter(this.config, id)) continue;
      if (v) granted.push(id);
      else refused.push(id);
    }
    const need = majority(this.config);
    if (granted.length >= need) {
      const won = { granted, voters: [...this.config.voters], quorum: need } as const;
      if (this.role === 'precandidate') {
        this.note({ code: 'prevote-won', term: this.term + 1, ...won });
        this.becomeCandidate(false, now);
      } else {
        this.note({ code: 'election-won', term: this.term, ...won });
        this.becomeLeader(now);
      }
    } else if (refused.length >= need) {
      this.becomeFollower(this.term, null, now, { why: 'votes-refused', refused, quorum: need });
    }
  }

  protected handleRequestVote(m: RequestVote, now: number): void {
    const upToDate =
      m.lastLogTerm > this.storage.lastTerm() ||
      (m.lastLogTerm === this.storage.lastTerm() && m.lastLogIndex >= this.lastIndex);
    if (m.preVote) {
      const granted = m.term > this.term && upToDate;
      this.noteVote(m, granted ? null : !upToDate ? { why: 'log-behind' } : { why: 'no-newer-term' });
      this.msgs.push({
        type: 'RequestVoteResp',
        from: this.id,
        to: m.from,
        preVote: true,
        granted,
        term: granted ? m.term : this.term,
      });
      return;
    }
    const votedFor = this.storage.votedFor;
    const free = votedFor === null || votedFor === m.from || this.opts.unsafeDoubleVote;
    const grant = free && upToDate && this.role !== 'leader';
    let refusal: VoteRefusal | null = null;
    if (!upToDate) refusal = { why: 'log-behind' };
    else if (this.role === 'leader') refusal = { why: 'is-leader' };
    else if (!free && votedFor !== null) refusal = { why: 'already-voted', votedFor };
    this.noteVote(m, grant ? null : refusal);
    if (grant) {
      this.storage.votedFor = m.from;
      this.resetElectionTimer(now);
    }
    this.respondVote(m, grant);
  }

  /** The vote decision with both logs' last positions, the facts of §5.4.1. */
  protected noteVote(m: RequestVote, refusal: VoteRefusal | null): void {
    const candidateLast: LogPoint = { index: m.lastLogIndex, term: m.lastLogTerm };
    const voterLast: LogPoint = { index: this.lastIndex, term: this.storage.lastTerm() };
    const base = { candidate: m.from, term: m.term, preVote: m.preVote, candidateLast, voterLast };
    if (refusal === null) this.note({ code: 'vote-granted', ...base });
    else this.note({ code: 'vote-refused', ...base, voterTerm: this.term, refusal });
  }

  protected respondVote(m: RequestVote, granted: boolean): void {
    this.msgs.push({
      type: 'RequestVoteResp',
      from: this.id,
      to: m.from,
      term: this.term,
      granted,
      preVote: m.preVote,
    });
  }

  protected handleVoteResp(m: RequestVoteResp, now: number): void {
    const expected = m.preVote ? 'precandidate' : 'candidate';
    if (this.role !== expected) return;
    if (m.preVote && m.granted && m.term !== this.term + 1) return;
    this.votes.set(m.from, m.granted);
    this.tallyVotes(now);
  }

  protected becomeLeader(now: number): void {
    this.role = 'leader';
    this.leaderId = this.id;
    this.electionDeadline = Infinity;
    this.heartbeatDeadline = now + this.opts.heartbeatInterval;
    this.transferTarget = null;
    this.lastHeard.clear();
    this.resetProgress(now);
    this.storage.append({ index: this.lastIndex + 1, term: this.term, kind: 'noop', data: null });
    this.note({ code: 'proposed', index: this.lastIndex, term: this.term, kind: 'noop' });
    this.broadcastAppend();
    this.maybeCommit(now);
  }
}

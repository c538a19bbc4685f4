import { RaftState } from './state';
import type { LogPoint } from './reasons';
import type { AppendEntries, InstallSnapshot, Snapshot } from './types';

/** The follower's side of replication: the consistency check, truncation and InstallSnapshot. */
export abstract class RaftFollower extends RaftState {
  protected followLeader(m: AppendEntries | InstallSnapshot, now: number): void {
    if (this.role !== 'follower') this.becomeFollower(this.term, m.from, now, { why: 'leader-of-term', from: m.from });
    this.leaderId = m.from;
    this.lastLeaderContact = now;
    this.resetElectionTimer(now);
  }

  protected handleAppend(m: AppendEntries, now: number): void {
    if (this.role === 'leader') return;
    this.followLeader(m, now);
    const snapIndex = this.storage.snapshot.index;
    const prev: LogPoint = { index: m.prevLogIndex, term: m.prevLogTerm };
    if (m.prevLogIndex > this.lastIndex) {
      this.note({ code: 'append-rejected', leader: m.from, term: m.term, prev, refusal: { why: 'missing', lastIndex: this.lastIndex } });
      return this.rejectAppend(m, this.lastIndex + 1, 0);
    }
    if (m.prevLogIndex >= snapIndex && this.storage.termAt(m.prevLogIndex) !== m.prevLogTerm) {
      const ct = this.storage.termAt(m.prevLogIndex);
      this.note({ code: 'append-rejected', leader: m.from, term: m.term, prev, refusal: { why: 'term-mismatch', termThere: ct } });
      let first = m.prevLogIndex;
      while (first - 1 > snapIndex && this.storage.termAt(first - 1) === ct) first--;
      return this.rejectAppend(m, this.opts.fastBacktrack ? first : m.prevLogIndex, ct);
    }
    let configChanged = false;
    const appended: LogPoint[] = [];
    for (const e of m.entries) {
      if (e.index <= snapIndex) continue;
      if (e.index <= this.lastIndex) {
        if (this.storage.termAt(e.index) === e.term) continue;
        if (e.index <= this.configIndex) configChanged = true;
        const removed = this.storage.slice(e.index, this.lastIndex + 1).map((x) => ({ index: x.index, term: x.term }));
        this.note({ code: 'truncated', leader: m.from, from: e.index, removed, by: { index: e.index, term: e.term } });
        this.storage.truncateFrom(e.index);
      }
      this.storage.append(e);
      appended.push({ index: e.index, term: e.term });
      if (e.kind === 'config') configChanged = true;
    }
    if (configChanged) this.recomputeConfig();
    const lastNew = m.prevLogIndex + m.entries.length;
    this.note({ code: 'append-accepted', leader: m.from, term: m.term, prev, appended, matchIndex: lastNew });
    const commit = Math.min(m.leaderCommit, lastNew);
    if (commit > this.commitIndex) {
      this.note({ code: 'commit-by-leader', from: this.commitIndex, to: commit, leader: m.from, leaderCommit: m.leaderCommit, lastNew });
      this.commitIndex = commit;
    }
    this.msgs.push({
      type: 'AppendEntriesResp',
      from: this.id,
      to: m.from,
      term: this.term,
      success: true,
      matchIndex: lastNew,
      rejectIndex: 0,
      conflictIndex: 0,
      conflictTerm: 0,
      seq: m.seq,
    });
  }

  protected rejectAppend(m: AppendEntries, conflictIndex: number, conflictTerm: number): void {
    this.msgs.push({
      type: 'AppendEntriesResp',
      from: this.id,
      to: m.from,
      term: this.term,
      success: false,
      matchIndex: 0,
      rejectIndex: m.prevLogIndex,
      conflictIndex,
      conflictTerm,
      seq: m.seq,
    });
  }

  protected handleSnapshot(m: InstallSnapshot, now: number): void {
    if (this.role === 'leader') return;
    this.followLeader(m, now);
    if (m.lastIncludedIndex <= this.commitIndex) return this.respondSnapshot(m, m.total, true);
    let inc = this.incoming;
    if (!inc || inc.index !== m.lastIncludedIndex || inc.term !== m.lastIncludedTerm) {
      if (m.offset !== 0) return this.respondSnapshot(m, 0, false);
      inc = {
        index: m.lastIncludedIndex,
        term: m.lastIncludedTerm,
        config: m.config,
        chunks: [],
        received: 0,
      };
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
    this.note({ code: 'snapshot-installed', leader: m.from, index: snap.index, term: snap.term });
    this.commitIndex = Math.max(this.commitIndex, snap.index);
    this.lastApplied = snap.index;
    this.pendingSnapshot = snap;
    this.recomputeConfig();
    this.respondSnapshot(m, m.total, true);
  }

  protected respondSnapshot(m: InstallSnapshot, nextOffset: number, done: boolean): void {
    this.msgs.push({
      type: 'InstallSnapshotResp',
      from: this.id,
      to: m.from,
      term: this.term,
      lastIncludedIndex: m.lastIncludedIndex,
      nextOffset,
      done,
      seq: m.seq,
    });
  }
}

import { describe, expect, it } from 'vitest';
import { BareCluster } from '../../src/sim/bareCluster';

function settle(c: BareCluster, ms = 5000): string {
  c.world.runUntil(() => {
    const l = c.leader();
    return l !== null && [...c.procs.values()].every((p) => !p.alive || p.raft!.leaderId === l.id);
  }, c.world.now + ms);
  return c.leader()!.id;
}

describe('Raft protocol details', () => {
  it('repairs a follower whose log diverged (§5.3) and truncates its uncommitted entries', () => {
    const c = new BareCluster(3, 11);
    const l1 = settle(c);
    const others = [...c.procs.keys()].filter((id) => id !== l1);
    // The leader alone appends entries that never reach a majority.
    c.world.net.partition([[l1], others]);
    for (let i = 0; i < 5; i++) c.propose(`lost-${i}`);
    const stale = c.procs.get(l1)!;
    expect(stale.storage.lastIndex).toBeGreaterThan(stale.raft!.commitIndex);
    c.world.runUntil(() => others.some((id) => c.procs.get(id)!.raft!.role === 'leader'), c.world.now + 5000);
    const l2 = others.find((id) => c.procs.get(id)!.raft!.role === 'leader')!;
    const p2 = c.procs.get(l2)!;
    p2.raft!.propose('command', 'kept', c.world.now);
    p2.flush();
    c.world.net.heal();
    c.world.advance(1000);
    const logs = [...c.procs.values()].map((p) => p.storage.entries.map((e) => `${e.term}:${String(e.data)}`).join(','));
    expect(new Set(logs).size).toBe(1);
    expect(logs[0]).not.toContain('lost-');
    expect(logs[0]).toContain('kept');
  });

  it('only commits entries of the current term by counting replicas (Figure 8 rule)', () => {
    // One entry per AppendEntries, so an old entry and the new leader's no-op travel separately.
    const c = new BareCluster(3, 5, { maxEntriesPerAppend: 1 });
    const l = settle(c);
    const [f1, f2] = [...c.procs.keys()].filter((id) => id !== l);
    const p = c.procs.get(l)!;
    // The leader appends an entry no follower receives: an uncommitted entry of its term.
    c.world.net.partition([[l], [f1], [f2]]);
    expect(c.propose('old')).toBe(true);
    const old = p.storage.lastIndex;
    const oldTerm = p.storage.term;
    // Everyone times out alone. Back with f1 only, l wins a later term: its log is the longer one.
    c.world.advance(1000);
    c.world.net.partition([[l, f1], [f2]]);
    c.world.runUntil(() => p.raft!.role === 'leader' && p.raft!.term > oldTerm, c.world.now + 5000);
    const raft = p.raft!;
    expect(raft.role).toBe('leader');
    expect(raft.storage.termAt(old)).toBe(oldTerm);
    expect(raft.storage.entry(old + 1)).toMatchObject({ kind: 'noop', term: raft.term });
    // f1 acknowledges the old entry (l and f1: a majority stores it) before it has the no-op.
    c.world.runUntil(() => (raft.progress.get(f1)?.matchIndex ?? 0) >= old, c.world.now + 1000);
    expect(raft.progress.get(f1)!.matchIndex).toBe(old);
    c.world.net.isolate(l);
    // Counting replicas may not commit an entry of an older term (§5.4.2): it could still be overwritten.
    expect(raft.commitIndex).toBeLessThan(old);
    const term = raft.term;
    c.world.advance(150); // less than check-quorum's window: still the leader of the same term
    expect(raft.commitIndex).toBeLessThan(old);
    // Once the no-op of its own term is on a majority, both are committed together.
    c.world.net.partition([[l, f1], [f2]]);
    c.world.runUntil(() => raft.commitIndex >= old + 1, c.world.now + 2000);
    expect(raft.role).toBe('leader');
    expect(raft.term).toBe(term);
    expect(raft.commitIndex).toBe(old + 1);
    expect(raft.storage.entry(old)).toMatchObject({ term: oldTerm, data: 'old' });
  });

  it('with pre-vote a rejoining isolated follower does not depose the leader', () => {
    for (const preVote of [true, false]) {
      const c = new BareCluster(5, 21, { preVote });
      const leader = settle(c);
      const term = c.procs.get(leader)!.raft!.term;
      const victim = [...c.procs.keys()].find((id) => id !== leader)!;
      c.world.net.isolate(victim);
      c.world.advance(3000);
      c.world.net.heal();
      c.world.advance(2000);
      const now = c.leader()!;
      if (preVote) {
        expect(now.id).toBe(leader);
        expect(now.raft!.term).toBe(term);
      } else {
        expect(now.raft!.term).toBeGreaterThan(term);
      }
    }
  });

  it('transfers leadership with TimeoutNow to an up-to-date voter', () => {
    const c = new BareCluster(5, 8);
    const leader = settle(c);
    const target = [...c.procs.keys()].find((id) => id !== leader)!;
    const p = c.procs.get(leader)!;
    expect(p.raft!.transferLeadership(target, c.world.now).ok).toBe(true);
    p.flush();
    // Writes are refused while the transfer is under way.
    expect(p.raft!.propose('command', 'x', c.world.now).ok).toBe(false);
    c.world.runUntil(() => c.leader()?.id === target, c.world.now + 2000);
    expect(c.leader()!.id).toBe(target);
  });

  it('a transfer to a dead node is abandoned and the leader takes writes again', () => {
    const c = new BareCluster(5, 9);
    const leader = settle(c);
    const target = [...c.procs.keys()].find((id) => id !== leader)!;
    c.procs.get(target)!.crash();
    c.propose('behind');
    const p = c.procs.get(leader)!;
    expect(p.raft!.transferLeadership(target, c.world.now).ok).toBe(true);
    c.world.advance(1000);
    expect(c.leader()!.id).toBe(leader);
    expect(p.raft!.transferTarget).toBeNull();
    expect(p.raft!.propose('command', 'y', c.world.now).ok).toBe(true);
  });

  it('fast backtracking needs far fewer AppendEntries rounds for a follower that missed 500 entries', () => {
    const rounds: Record<string, number> = {};
    for (const fastBacktrack of [false, true]) {
      const c = new BareCluster(3, 31, { fastBacktrack, maxEntriesPerAppend: 64 });
      const leader = settle(c);
      const away = [...c.procs.keys()].find((id) => id !== leader)!;
      c.procs.get(away)!.crash();
      for (let i = 0; i < 500; i++) c.propose(i);
      c.world.advance(500);
      // A new leader knows nothing of the follower's log, so it must search for the match point.
      c.procs.get(leader)!.crash();
      c.procs.get(leader)!.start();
      c.world.runUntil(() => c.leader() !== null && c.leader()!.id !== leader, c.world.now + 5000);
      c.procs.get(away)!.start();
      c.world.runUntil(() => c.procs.get(away)!.raft!.lastApplied >= c.leader()!.raft!.commitIndex, c.world.now + 60_000);
      rounds[String(fastBacktrack)] = c.leader()!.raft!.progress.get(away)!.rejections;
      expect(c.procs.get(away)!.raft!.lastApplied).toBe(c.leader()!.raft!.commitIndex);
    }
    expect(rounds['true']).toBeLessThanOrEqual(2);
    expect(rounds['false']).toBeGreaterThan(400);
  });

  it('sends InstallSnapshot in chunks to a follower behind the leader snapshot', () => {
    const c = new BareCluster(3, 41, { snapshotChunkSize: 4 });
    const leader = settle(c);
    const away = [...c.procs.keys()].find((id) => id !== leader)!;
    c.procs.get(away)!.crash();
    for (let i = 0; i < 50; i++) c.propose(i);
    c.world.advance(300);
    const lp = c.procs.get(leader)!;
    lp.raft!.compact(lp.raft!.lastApplied, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    c.world.advance(100); // let appends sent before the compaction drain
    c.procs.get(away)!.start();
    c.world.advance(1000);
    const fp = c.procs.get(away)!;
    expect(fp.storage.snapshot.index).toBe(lp.storage.snapshot.index);
    expect(Array.from(fp.storage.snapshot.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const chunks = c.world.log.filter((e) => e.kind === 'deliver' && e.msg?.type === 'InstallSnapshot');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });
});

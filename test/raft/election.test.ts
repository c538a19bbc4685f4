import { describe, expect, it } from 'vitest';
import { BareCluster } from '../../src/sim/bareCluster';

describe('leader election (§5.2)', () => {
  it('elects exactly one leader and every node learns it', () => {
    const c = new BareCluster(5, 1);
    const ok = c.world.runUntil(() => {
      const l = c.leader();
      return l !== null && [...c.procs.values()].every((p) => p.raft!.leaderId === l.id);
    }, 5000);
    expect(ok).toBe(true);
    const leaders = [...c.procs.values()].filter((p) => p.raft!.role === 'leader');
    expect(leaders).toHaveLength(1);
  });

  it('replicates and commits proposals on every node', () => {
    const c = new BareCluster(3, 2);
    c.world.runUntil(() => c.leader() !== null, 5000);
    for (let i = 0; i < 10; i++) expect(c.propose({ i })).toBe(true);
    c.world.advance(500);
    for (const p of c.procs.values()) {
      expect(p.raft!.commitIndex).toBe(11); // no-op + 10 commands
      expect(p.raft!.lastApplied).toBe(11);
    }
  });

  it('elects a new leader after the leader crashes, in a higher term', () => {
    const c = new BareCluster(5, 3);
    c.world.runUntil(() => c.leader() !== null, 5000);
    const old = c.leader()!;
    const term = old.raft!.term;
    old.crash();
    expect(c.world.runUntil(() => c.leader() !== null, c.world.now + 5000)).toBe(true);
    expect(c.leader()!.id).not.toBe(old.id);
    expect(c.leader()!.raft!.term).toBeGreaterThan(term);
  });

  it('a single node elects itself', () => {
    const c = new BareCluster(1, 4);
    expect(c.world.runUntil(() => c.leader() !== null, 1000)).toBe(true);
    expect(c.propose('x')).toBe(true);
    expect(c.leader()!.raft!.commitIndex).toBe(2);
  });
});

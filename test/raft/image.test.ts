import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { RaftNode } from '../../src/raft/node';
import { BareCluster } from '../../src/sim/bareCluster';

/** Every own field of a node but its disk and random source, maps as their entries in order. */
function state(n: RaftNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) {
    if (k === 'storage' || k === 'random') continue;
    out[k] = v instanceof Map ? [...v] : v;
  }
  return out;
}

/** A 5-node cluster after `ms` of elections, writes and a partition healed at `heal`. */
function busy(seed: number, ms: number, heal: number): BareCluster {
  const c = new BareCluster(5, seed, { preVote: seed % 2 === 0 });
  for (let t = 0; t < ms; t += 20) {
    if (t === 300) c.world.net.partition([['n1', 'n2'], ['n3', 'n4', 'n5']]);
    if (t === heal) c.world.net.heal();
    c.propose(`w${t}`);
    c.world.advance(20);
  }
  return c;
}

const runs = fc.record({ seed: fc.integer({ min: 1, max: 1000 }), ms: fc.integer({ min: 0, max: 1500 }), heal: fc.integer({ min: 300, max: 1500 }) });

describe('a Raft node made from its image', () => {
  it('holds the same volatile state as the node the image came from, maps in the same order', () => {
    fc.assert(
      fc.property(runs, ({ seed, ms, heal }) => {
        const c = busy(seed, ms, heal);
        for (const p of c.procs.values()) {
          const n = p.raft!;
          const made = new RaftNode(n.id, n.storage, n.opts, () => 0.5, c.world.now, n.image());
          expect(state(made)).toEqual(state(n));
          expect(made.image()).toEqual(n.image());
        }
      }),
      { numRuns: 25 },
    );
  });

  it('draws nothing from its random source when made', () => {
    const n = busy(3, 800, 500).procs.get('n3')!.raft!;
    const made = new RaftNode(n.id, n.storage, n.opts, () => {
      throw new Error('drawn');
    }, 0, n.image());
    expect(made.electionDeadline).toBe(n.electionDeadline);
  });

  it('is untouched by the node stepping on, and the nodes made from it by theirs', () => {
    fc.assert(
      fc.property(runs, ({ seed, ms, heal }) => {
        const c = busy(seed, ms, heal);
        const images = [...c.procs.values()].map((p) => p.raft!.image());
        const before = JSON.stringify(images);
        const made = images.map((im, i) => {
          const p = [...c.procs.values()][i];
          const disk = Object.assign(new PersistentState(p.storage.snapshot.config), p.storage, { entries: [...p.storage.entries] });
          return new RaftNode(p.id, disk, p.raft!.opts, () => 0.25, c.world.now, im);
        });
        // Both step: the live cluster for a while, the made nodes through timeouts and proposals.
        for (const m of made) {
          m.onElectionTimeout(c.world.now + 10_000);
          m.onHeartbeatTimeout(c.world.now + 10_000);
          m.propose('command', 'after', c.world.now + 10_000);
          m.ready();
          m.outbox();
        }
        c.world.advance(400);
        expect(JSON.stringify(images)).toBe(before);
      }),
      { numRuns: 25 },
    );
  });
});

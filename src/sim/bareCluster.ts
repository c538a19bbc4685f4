import { defaultRaftOptions, type RaftMessage, type RaftOptions } from '../raft/types';
import { RaftProcess } from './process';
import { World } from './world';

/**
 * Raft processes on the simulated network with a no-op state machine: for unit tests of the
 * protocol and for measuring the simulator's raw event rate without sql.js.
 */
export class BareCluster {
  readonly world: World<RaftMessage>;
  readonly procs = new Map<string, RaftProcess<RaftMessage>>();
  applied = 0;

  constructor(n: number, seed: number, opts: Partial<RaftOptions> = {}) {
    this.world = new World<RaftMessage>(seed);
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    const options = { ...defaultRaftOptions, ...opts };
    for (const id of ids) {
      const p = new RaftProcess<RaftMessage>(id, this.world, { voters: ids, learners: [] }, options, (_proc, ready) => {
        this.applied += ready.committed.length;
      });
      this.procs.set(id, p);
    }
    this.world.handler = {
      isAlive: (id) => this.procs.get(id)?.alive ?? false,
      deliver: (m) => this.procs.get(m.to)?.deliver(m),
      timer: (node, kind, inc) => this.procs.get(node)?.timer(kind, inc, this.world.now) ?? false,
    };
    for (const p of this.procs.values()) p.start();
  }

  leader(): RaftProcess<RaftMessage> | null {
    let best: RaftProcess<RaftMessage> | null = null;
    for (const p of this.procs.values()) {
      const r = p.raft;
      if (r?.role === 'leader' && (!best || r.term > best.raft!.term)) best = p;
    }
    return best;
  }

  propose(data: unknown): boolean {
    const l = this.leader();
    if (!l) return false;
    const res = l.raft!.propose('command', data, this.world.now);
    l.flush();
    return res.ok;
  }
}

import type { Simulation } from '../../src/replay/simulation';
import type { NodeView } from '../../src/replay/frames';

/** JSON that survives bigints and byte arrays (snapshot chunks), with byte arrays summed up. */
function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Uint8Array) {
      let h = 0;
      for (let i = 0; i < x.length; i++) h = (Math.imul(h, 31) + x[i]) | 0;
      return `u8:${x.length}:${h}`;
    }
    if (x === Infinity) return 'Infinity';
    if (x === -Infinity) return '-Infinity';
    return x;
  });
}

function nodeView(v: NodeView): unknown {
  const { log, ...rest } = v;
  return { ...rest, log: log ? [log.index, log.entry.term, log.entry.kind] : null };
}

/**
 * Everything a run shows or will act on, as text: frames, the event log with its decisions,
 * markers, answers, applies, the safety monitor's findings and per-frame counts, and each server's
 * Raft state, disk and database content. Two runs with equal fingerprints are the same run.
 */
export function fingerprint(sim: Simulation): Record<string, string> {
  const servers = [...sim.cluster.servers.values()].map((s) => {
    const raft = s.proc.raft;
    const st = s.proc.storage;
    return {
      id: s.id,
      alive: s.alive,
      db: s.db ? s.db.hash() : null,
      disk: [st.term, st.votedFor, st.snapshot.index, st.snapshot.term, st.snapshot.data.length, st.lastIndex, st.lastTerm()],
      raft: raft && [raft.role, raft.term, raft.leaderId, raft.commitIndex, raft.lastApplied, raft.electionDeadline, raft.heartbeatDeadline, [...raft.progress.values()].map((p) => ({ ...p }))],
    };
  });
  return {
    frames: stringify(sim.frames.all().map((f) => ({ time: f.time, seqEnd: f.seqEnd, net: f.net, nodes: f.nodes.map(nodeView) }))),
    log: stringify(sim.events.all()),
    markers: stringify(sim.markers),
    answers: stringify(sim.answers),
    applies: stringify([...sim.applies]),
    inputs: stringify(sim.inputs),
    safety: stringify([sim.safety.violations, sim.frames.all().map((_, i) => sim.safety.checkedAt(i))]),
    world: stringify([sim.now, sim.cluster.world.eventCount, sim.cluster.world.steps, sim.cluster.world.prng.getState(), sim.maxLatency, [...sim.settledAt]]),
    servers: stringify(servers),
  };
}

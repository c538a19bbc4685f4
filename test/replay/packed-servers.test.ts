import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerCheckpoint } from '../../src/cluster/server';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { RaftImage } from '../../src/raft/image';
import { Progress } from '../../src/raft/progress';
import { newKeeper, shareImages } from '../../src/replay/shareImages';
import { EntryTable } from '../../src/replay/entryTable';
import { simOptionsOf } from '../../src/replay/options';
import { ServerPacker, type PackedServers } from '../../src/replay/packedServers';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

type Servers = [string, ServerCheckpoint][];

/** Every set packed reads back as the plain servers it was packed from, after all the later ones were packed too. */
function expectSame(taken: readonly { plain: Servers; packed: PackedServers }[]): void {
  for (const { plain, packed } of taken) expect(packed.unpack()).toStrictEqual(plain);
}

// Elections, crashes, partitions, snapshots installed, membership changes, leadership transfer.
const FILES = [
  '04-leader-crash.json',
  '05-minority-partition.json',
  '12-snapshot-install.json',
  '13-restart-from-snapshot.json',
  '14-join-and-remove.json',
  '18-leadership-transfer.json',
];

describe("a checkpoint's servers, packed", () => {
  it('read back as the servers the cluster checkpointed, at every moment of these scenarios', () => {
    for (const file of FILES) {
      const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
      const scenario = parseScenario(JSON.stringify({ ...parsed, seed: 5 }));
      const answers = new Map<number, Answer>();
      const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), {
        every: Infinity,
        count: 0,
        bytes: Infinity,
      });
      const packer = new ServerPacker();
      const entries = new EntryTable();
      const keeper = newKeeper();
      const taken: { plain: Servers; packed: PackedServers }[] = [];
      let frames = 0;
      sim.onFrame(() => {
        if (frames++ % 7 !== 0) return;
        const cp = sim.cluster.checkpoint();
        if (!cp) return;
        const plain = shareImages(cp, entries, keeper).cluster.servers.map(([id, s]): [string, ServerCheckpoint] => [
          id,
          s,
        ]);
        taken.push({ plain, packed: packer.pack(plain) });
      });
      runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
      sim.runTo(sim.now + 1500);
      expect(taken.length, file).toBeGreaterThan(20);
      expect(
        taken.some(({ plain }) => plain.some(([, s]) => (s.proc.raft?.progress.length ?? 0) > 0)),
        `${file}: a leader's progress`,
      ).toBe(true);
      expectSame(taken);
      sim.cluster.dispose();
    }
  });

  it('read back whatever numbers, lists and roles they hold, one checkpoint after another', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Infinity, -Infinity, -0, 0));
    const ids = ['n1', 'n2', 'n3', 'n4'];
    const progress = fc.record({
      id: fc.constantFrom(...ids),
      state: fc.constantFrom('probe' as const, 'replicate' as const, 'snapshot' as const),
      n: fc.array(num, { minLength: 7, maxLength: 7 }),
      paused: fc.boolean(),
    });
    const raft = fc.record({
      role: fc.constantFrom(
        'follower' as const,
        'precandidate' as const,
        'candidate' as const,
        'leader' as const,
      ),
      leaderId: fc.option(fc.constantFrom(...ids)),
      n: fc.array(num, { minLength: 8, maxLength: 8 }),
      appendPending: fc.boolean(),
      votes: fc.array(fc.tuple(fc.constantFrom(...ids), fc.boolean()), { maxLength: 4 }),
      heard: fc.array(fc.tuple(fc.constantFrom(...ids), num), { maxLength: 4 }),
      progress: fc.array(progress, { maxLength: 4 }),
      waitingReads: fc.array(fc.nat(), { maxLength: 3 }),
    });
    const server = fc.record({
      n: fc.array(num, { minLength: 8, maxLength: 8 }),
      votedFor: fc.option(fc.constantFrom(...ids)),
      raft: fc.option(raft),
    });
    const config = { voters: ids, learners: [] };
    const snapshot = { index: 0, term: 0, config, data: new Uint8Array(0) };
    const NONE: readonly never[] = [];
    type Raft = typeof raft extends fc.Arbitrary<infer R> ? R : never;
    const imageOf = (r: Raft): RaftImage => ({
      role: r.role,
      leaderId: r.leaderId,
      commitIndex: r.n[0],
      lastApplied: r.n[1],
      config,
      configIndex: r.n[2],
      electionDeadline: r.n[3],
      heartbeatDeadline: r.n[4],
      lastLeaderContact: r.n[5],
      transferTarget: r.leaderId,
      transferDeadline: r.n[6],
      seq: r.n[7],
      appendPending: r.appendPending,
      pendingSnapshot: null,
      incoming: null,
      votes: { keys: r.votes.map(([k]) => k), values: r.votes.map(([, v]) => v) },
      lastHeard: { keys: r.heard.map(([k]) => k), values: r.heard.map(([, v]) => v) },
      progress: r.progress.map((p) => {
        const [matchIndex, nextIndex, ackedSeq, snapshotOffset, snapshotIndex, rejections, lastProgressAt] =
          p.n;
        return Object.assign(new Progress(p.id, 0), {
          state: p.state,
          matchIndex,
          nextIndex,
          ackedSeq,
          snapshotOffset,
          snapshotIndex,
          rejections,
          paused: p.paused,
          lastProgressAt,
        });
      }),
      pendingReads: NONE,
      waitingReads: r.waitingReads,
      msgs: NONE,
      readStates: NONE,
      reasons: NONE,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(server, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (sets) => {
          const packer = new ServerPacker();
          const taken = sets.map((set) => {
            const plain = set.map((s, i): [string, ServerCheckpoint] => [
              ids[i],
              {
                proc: {
                  incarnation: s.n[0],
                  scheduled: { election: s.n[1], heartbeat: s.n[2] },
                  storage: {
                    term: s.n[3],
                    votedFor: s.votedFor,
                    snapshot,
                    table: NONE,
                    start: s.n[4],
                    length: s.n[5],
                  },
                  raft: s.raft ? imageOf(s.raft) : null,
                },
                db: null,
                lastRole: s.raft?.role ?? 'follower',
                lastTerm: s.n[6],
                bytesSinceSnapshot: s.n[7],
              },
            ]);
            return { plain, packed: packer.pack(plain) };
          });
          expectSame(taken);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a server whole whose progress holds a field the packing does not know', () => {
    const config = { voters: ['n1', 'n2'], learners: [] };
    const odd = Object.assign(new Progress('n2', 4), { extra: 1 });
    const raft: RaftImage = {
      role: 'leader',
      leaderId: 'n1',
      commitIndex: 3,
      lastApplied: 3,
      config,
      configIndex: 0,
      electionDeadline: Infinity,
      heartbeatDeadline: 12.5,
      lastLeaderContact: 10,
      transferTarget: null,
      transferDeadline: Infinity,
      seq: 2,
      appendPending: false,
      pendingSnapshot: null,
      incoming: null,
      votes: { keys: [], values: [] },
      lastHeard: { keys: ['n2'], values: [9] },
      progress: [odd],
      pendingReads: [],
      waitingReads: [],
      msgs: [],
      readStates: [],
      reasons: [],
    };
    const snapshot = { index: 0, term: 0, config, data: new Uint8Array(0) };
    const s: ServerCheckpoint = {
      proc: {
        incarnation: 1,
        scheduled: { election: Infinity, heartbeat: 12.5 },
        storage: { term: 1, votedFor: 'n1', snapshot, table: [], start: 0, length: 0 },
        raft,
      },
      db: null,
      lastRole: 'leader',
      lastTerm: 1,
      bytesSinceSnapshot: 0,
    };
    const back = new ServerPacker().pack([['n1', s]]).unpack();
    expect(back).toStrictEqual([['n1', s]]);
    expect(back[0][1]).toBe(s);
  });
});

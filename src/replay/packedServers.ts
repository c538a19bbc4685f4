import type { ServerCheckpoint } from '../cluster/server';
import type { DatabaseImage } from '../db/database';
import type { Pairs, RaftImage } from '../raft/image';
import { Progress } from '../raft/progress';
import type { Reason } from '../raft/reasons';
import type { IncomingSnapshot, PendingRead } from '../raft/state';
import type { ClusterConfig, Entry, NodeId, RaftMessage, ReadState, Role, Snapshot } from '../raft/types';

/**
 * The servers of a checkpoint, packed: a recorded run holds one set per checkpoint (60 a simulated
 * minute), and as objects (a ServerCheckpoint, its process, timers, disk and Raft image, a leader's
 * Progress copies) they cost about 8 KB a 9-node checkpoint, most of it object headers and boxed
 * numbers. Here each server's numbers are slots of one array of doubles for the whole checkpoint,
 * and what is not a number (role, config, snapshot, log table, the lists that are nearly always
 * empty...) sits in a small object that the next checkpoint shares when none of it changed, which
 * between two checkpoints of a settled cluster is every server's. `unpack` makes the objects again,
 * equal to those packed (test/replay/packed-servers.test.ts).
 */

type ProgressState = Progress['state'];

/** What a Raft image holds that is not a number. */
interface RaftRefs {
  readonly role: Role;
  readonly leaderId: NodeId | null;
  readonly config: ClusterConfig;
  readonly transferTarget: NodeId | null;
  readonly pendingSnapshot: Snapshot | null;
  readonly incoming: IncomingSnapshot | null;
  readonly votes: Pairs<boolean>;
  /** The keys of `lastHeard`; its values are numbers. */
  readonly heard: readonly NodeId[];
  /** Each follower's id and state, in the order of `progress`; the rest of a Progress is numbers. */
  readonly followers: readonly (readonly [NodeId, ProgressState])[];
  readonly pendingReads: readonly PendingRead[];
  readonly waitingReads: readonly number[];
  readonly msgs: readonly RaftMessage[];
  readonly readStates: readonly ReadState[];
  readonly reasons: readonly Reason[];
}

/** What a server checkpoint holds that is not a number, its database image apart (it changes with every write). */
interface ServerRefs {
  readonly lastRole: Role;
  readonly votedFor: string | null;
  readonly snapshot: Snapshot;
  readonly table: readonly Entry[];
  readonly raft: RaftRefs | null;
}

/** Slots of a server's numbers: always SERVER_SLOTS, then RAFT_SLOTS with a Raft image, one per `heard`, PROGRESS_SLOTS per follower. */
const SERVER_SLOTS = 8;
const RAFT_SLOTS = 9;
const PROGRESS_SLOTS = 8;
/** The fields a Progress holds (its own, enumerable): a copy with any other could not be packed. */
const PROGRESS_FIELDS = Object.keys(new Progress('', 0)).length;

function sameList<T>(
  a: readonly T[],
  b: readonly T[],
  same: (x: T, y: T) => boolean = (x, y) => x === y,
): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => same(x, b[i])));
}

const samePairs = <V>(a: Pairs<V>, b: Pairs<V>): boolean =>
  a === b || (sameList(a.keys, b.keys) && sameList(a.values, b.values));

/** Whether two refs objects made by `pack` (so with the same fields) hold the very same values. */
function sameFields<T extends RaftRefs | ServerRefs>(a: T, b: T): boolean {
  return (Object.keys(a) as (keyof T)[]).every((k) => a[k] === b[k]);
}

/**
 * Slot `i` as the number packed. The array holds doubles (some numbers are not whole), and V8 reads
 * a whole number from it as a boxed double, where the node had it as a small integer: a node
 * restored with boxed fields changes the shape V8 knows its class by, and every node then runs slower.
 */
function slot(n: readonly number[], i: number): number {
  const v = n[i];
  return (v | 0) === v && !Object.is(v, -0) ? v | 0 : v;
}

/** Whether a Raft image's progress copies hold only the fields packed (so unpacking gives them back whole). */
function packable(s: ServerCheckpoint): boolean {
  return (
    s.proc.raft === null ||
    s.proc.raft.progress.every((pr) => pr instanceof Progress && Object.keys(pr).length === PROGRESS_FIELDS)
  );
}

/** The servers of one checkpoint, packed (see the top of this file). */
export class PackedServers {
  constructor(
    private readonly ids: readonly string[],
    /** Each server's refs, or the server kept whole (a progress copy with fields this packing does not know). */
    private readonly refs: readonly (ServerRefs | { readonly whole: ServerCheckpoint })[],
    private readonly dbs: readonly (DatabaseImage | null)[],
    private readonly numbers: readonly number[],
  ) {}

  unpack(): [string, ServerCheckpoint][] {
    const n = this.numbers;
    let at = 0;
    return this.ids.map((id, i): [string, ServerCheckpoint] => {
      const r = this.refs[i];
      if ('whole' in r) return [id, r.whole];
      const x = at;
      at += SERVER_SLOTS;
      let raft: RaftImage | null = null;
      if (r.raft) {
        const q = r.raft;
        const y = at;
        at += RAFT_SLOTS;
        const heard = q.heard.map((_, k) => slot(n, at + k));
        at += q.heard.length;
        const progress = q.followers.map(([pid, state]) => {
          const p = at;
          at += PROGRESS_SLOTS;
          return Object.assign(new Progress(pid, 0), {
            state,
            matchIndex: slot(n, p),
            nextIndex: slot(n, p + 1),
            ackedSeq: slot(n, p + 2),
            snapshotOffset: slot(n, p + 3),
            snapshotIndex: slot(n, p + 4),
            rejections: slot(n, p + 5),
            paused: slot(n, p + 6) === 1,
            lastProgressAt: slot(n, p + 7),
          });
        });
        raft = {
          role: q.role,
          leaderId: q.leaderId,
          commitIndex: slot(n, y),
          lastApplied: slot(n, y + 1),
          config: q.config,
          configIndex: slot(n, y + 2),
          electionDeadline: slot(n, y + 3),
          heartbeatDeadline: slot(n, y + 4),
          lastLeaderContact: slot(n, y + 5),
          transferTarget: q.transferTarget,
          transferDeadline: slot(n, y + 6),
          seq: slot(n, y + 7),
          appendPending: slot(n, y + 8) === 1,
          pendingSnapshot: q.pendingSnapshot,
          incoming: q.incoming,
          votes: q.votes,
          lastHeard: { keys: q.heard, values: heard },
          progress,
          pendingReads: q.pendingReads,
          waitingReads: q.waitingReads,
          msgs: q.msgs,
          readStates: q.readStates,
          reasons: q.reasons,
        };
      }
      return [
        id,
        {
          proc: {
            incarnation: slot(n, x + 2),
            scheduled: { election: slot(n, x + 3), heartbeat: slot(n, x + 4) },
            storage: {
              term: slot(n, x + 5),
              votedFor: r.votedFor,
              snapshot: r.snapshot,
              table: r.table,
              start: slot(n, x + 6),
              length: slot(n, x + 7),
            },
            raft,
          },
          db: this.dbs[i],
          lastRole: r.lastRole,
          lastTerm: slot(n, x),
          bytesSinceSnapshot: slot(n, x + 1),
        },
      ];
    });
  }
}

/**
 * Packs the checkpoints of one run, each server's refs shared with its previous checkpoint's when
 * they are the same. Every packed set stays as it was made: sharing never changes an older one.
 */
export class ServerPacker {
  private last = new Map<string, ServerRefs>();
  private ids: readonly string[] | null = null;

  pack(servers: readonly (readonly [string, ServerCheckpoint])[]): PackedServers {
    const numbers: number[] = [];
    const refs: (ServerRefs | { readonly whole: ServerCheckpoint })[] = [];
    const next = new Map<string, ServerRefs>();
    for (const [id, s] of servers) {
      const before = this.last.get(id);
      if (!packable(s)) {
        refs.push({ whole: s });
        continue;
      }
      const st = s.proc.storage;
      numbers.push(
        s.lastTerm,
        s.bytesSinceSnapshot,
        s.proc.incarnation,
        s.proc.scheduled.election,
        s.proc.scheduled.heartbeat,
        st.term,
        st.start,
        st.length,
      );
      const im = s.proc.raft;
      let raft: RaftRefs | null = null;
      if (im) {
        numbers.push(
          im.commitIndex,
          im.lastApplied,
          im.configIndex,
          im.electionDeadline,
          im.heartbeatDeadline,
          im.lastLeaderContact,
          im.transferDeadline,
          im.seq,
          im.appendPending ? 1 : 0,
        );
        numbers.push(...im.lastHeard.values);
        for (const pr of im.progress)
          numbers.push(
            pr.matchIndex,
            pr.nextIndex,
            pr.ackedSeq,
            pr.snapshotOffset,
            pr.snapshotIndex,
            pr.rejections,
            pr.paused ? 1 : 0,
            pr.lastProgressAt,
          );
        const prev = before?.raft ?? null;
        const followers = im.progress.map((pr): readonly [NodeId, ProgressState] => [pr.id, pr.state]);
        raft = {
          role: im.role,
          leaderId: im.leaderId,
          config: im.config,
          transferTarget: im.transferTarget,
          pendingSnapshot: im.pendingSnapshot,
          incoming: im.incoming,
          votes: prev && samePairs(prev.votes, im.votes) ? prev.votes : im.votes,
          heard: prev && sameList(prev.heard, im.lastHeard.keys) ? prev.heard : im.lastHeard.keys,
          followers:
            prev && sameList(prev.followers, followers, (a, b) => a[0] === b[0] && a[1] === b[1])
              ? prev.followers
              : followers,
          pendingReads: im.pendingReads,
          waitingReads: im.waitingReads,
          msgs: im.msgs,
          readStates: im.readStates,
          reasons: im.reasons,
        };
        if (prev && sameFields(prev, raft)) raft = prev;
      }
      let mine: ServerRefs = {
        lastRole: s.lastRole,
        votedFor: st.votedFor,
        snapshot: st.snapshot,
        table: st.table,
        raft,
      };
      if (before && sameFields(before, mine)) mine = before;
      refs.push(mine);
      next.set(id, mine);
    }
    this.last = next;
    const ids = servers.map(([id]) => id);
    // The same servers as last time (nearly always): their ids are the last set's list.
    if (this.ids && sameList(this.ids, ids))
      return new PackedServers(
        this.ids,
        refs,
        servers.map(([, s]) => s.db),
        numbers.slice(),
      );
    this.ids = ids;
    // A copy of exactly its length: the array pushed to may hold room to grow.
    return new PackedServers(
      ids,
      refs,
      servers.map(([, s]) => s.db),
      numbers.slice(),
    );
  }
}

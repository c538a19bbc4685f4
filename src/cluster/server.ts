import type { SqlJsStatic } from 'sql.js';
import { MIN_BATCH } from '../db/batch';
import { isBatchable as batchableCommand } from '../db/facts';
import { DEFAULT_MAX_ROWS, NodeDatabase, type DatabaseImage } from '../db/database';
import type { ExecuteResult, QueryResult, Statement } from '../db/types';
import { changesRole, type Reason } from '../raft/reasons';
import type { Entry, Ready, Role } from '../raft/types';
import { RaftProcess, type ProcessCheckpoint } from '../sim/process';
import type { World } from '../sim/world';
import type { Problem } from './errors';
import { entryBytes, snapshotDue, staggerOf, type SnapshotPolicy } from './snapshotPolicy';
import { failure, type Answer, type EntryData, type NetMessage } from './types';
import { commandOf } from './entryCommand';
import type { HostTask, ReplyTo } from './heldCalls';
import { ClientRequests } from './heldRequests';

export interface ServerCheckpoint {
  readonly proc: ProcessCheckpoint;
  readonly db: DatabaseImage | null;
  readonly lastRole: Role;
  readonly lastTerm: number;
  readonly bytesSinceSnapshot: number;
}

export interface ServerHooks {
  onApply(server: ServerNode, entry: Entry): void;
  onLeaderStep(server: ServerNode): void;
  /** Give the answer to a request this server held (Router.respond). */
  reply(server: ServerNode, to: ReplyTo, a: Answer): void;
}

/**
 * One rqlite-like server: a Raft process plus its sql.js database and the client requests it is
 * holding. Everything here is volatile; a crash drops it and a restart rebuilds the database from
 * the snapshot and the log.
 */
export class ServerNode {
  readonly proc: RaftProcess<NetMessage>;
  db: NodeDatabase | null = null;
  /** The client requests this server holds until it can answer them (a checkpoint copies them). */
  readonly requests = new ClientRequests();
  private lastRole: Role = 'follower';
  private lastTerm = 0;
  /** Bytes of SQL applied since the snapshot this node's log starts from (see snapshotPolicy.ts). */
  private bytesSinceSnapshot = 0;
  private readonly stagger: number;

  constructor(
    readonly id: string,
    proc: (afterStep: (p: RaftProcess<NetMessage>, rd: Ready) => void) => RaftProcess<NetMessage>,
    private readonly world: World<NetMessage, HostTask>,
    private readonly SQL: SqlJsStatic,
    private readonly snapshotPolicy: SnapshotPolicy,
    private readonly hooks: ServerHooks,
  ) {
    this.proc = proc((_p, rd) => this.afterStep(rd));
    this.stagger = staggerOf(id);
  }

  get alive(): boolean {
    return this.proc.alive;
  }

  start(): void {
    this.db?.close();
    this.db = NodeDatabase.create(this.SQL);
    this.lastRole = 'follower';
    this.bytesSinceSnapshot = 0;
    this.proc.start();
  }

  crash(): void {
    this.failAll({ code: 'crashed', node: this.id });
    this.proc.crash();
    this.db?.close();
    this.db = null;
    this.world.record({ kind: 'crash', node: this.id });
  }

  /** Free the database for good (the cluster is being dropped): the node reads as down from now on. */
  dispose(): void {
    this.db?.close();
    this.db = null;
    this.proc.crash();
  }

  /**
   * This server's state between two steps, the requests it holds apart (`held`), or null while its
   * database holds what a file cannot carry. The database's image may be its last export with the
   * plain writes since (NodeDatabase.image): exports are made ahead, a node at a time (exportAhead.ts).
   */
  checkpoint(): ServerCheckpoint | null {
    const db = this.db ? this.db.image(true) : null;
    if (this.db && !db) return null;
    return { proc: this.proc.checkpoint(), db, lastRole: this.lastRole, lastTerm: this.lastTerm, bytesSinceSnapshot: this.bytesSinceSnapshot };
  }

  /** Become the server `cp` recorded; `lazy`: its database is opened when first used. */
  restore(cp: ServerCheckpoint, lazy = false): void {
    this.db?.close();
    this.db = cp.db ? NodeDatabase.fromImage(this.SQL, cp.db, lazy) : null;
    this.proc.restore(cp.proc);
    this.lastRole = cp.lastRole;
    this.lastTerm = cp.lastTerm;
    this.bytesSinceSnapshot = cp.bytesSinceSnapshot;
  }

  /**
   * This node's database and its schema cookie (NodeDatabase.schemaVersion), or null while it is
   * down; `blank`: a new database nothing has touched yet, which holds no table (and is not opened
   * to say so).
   */
  schemaStamp(): { db: object; version: number; blank: boolean } | null {
    if (!this.alive) return null;
    const db = this.database();
    return { db, version: db.schemaVersion(), blank: db.blank };
  }

  /** Read at this node: 'now' is `ts`, random() is seeded by what the node has applied. */
  query(statements: Statement[], ts = 0): QueryResult[] {
    return this.database().query(statements, DEFAULT_MAX_ROWS, { ts, seed: this.proc.raft?.lastApplied ?? 0 });
  }

  /** Take a snapshot now if anything was applied since the last one; `threshold` says it was due, null the operator asked. */
  snapshot(threshold: number | null = null): number {
    const raft = this.proc.raft;
    if (!raft || raft.lastApplied <= this.proc.storage.snapshot.index) return this.proc.storage.snapshot.index;
    raft.compact(raft.lastApplied, this.database().export());
    this.bytesSinceSnapshot = 0;
    const snap = this.proc.storage.snapshot;
    const reason: Reason = { code: 'snapshot-taken', index: snap.index, term: snap.term, threshold };
    this.world.record({ kind: 'snapshot', node: this.id, action: 'compact', snapshot: { index: snap.index, term: snap.term }, reason });
    return raft.lastApplied;
  }

  private database(): NodeDatabase {
    if (!this.db) this.db = NodeDatabase.create(this.SQL);
    return this.db;
  }

  private afterStep(rd: Ready): void {
    const raft = this.proc.raft;
    if (!raft) return;
    this.world.decide(this.id, rd.reasons);
    if (rd.snapshot) {
      this.db?.close();
      const snap = rd.snapshot;
      this.db = NodeDatabase.create(this.SQL, snap.data);
      this.bytesSinceSnapshot = 0;
      // A follower just took it from its leader by InstallSnapshot; a restarted node has no leader
      // yet and reloads its own.
      const from = raft.leaderId ?? undefined;
      this.world.record({
        kind: 'snapshot',
        node: this.id,
        action: from ? 'install' : 'reload',
        snapshot: { index: snap.index, term: snap.term, ...(from ? { from } : {}) },
        ...optional(rd.reasons.find((r) => r.code === 'snapshot-installed')),
        ...triggered(this.world.deliveringTo(this.id)),
      });
    }
    if (raft.role !== this.lastRole || raft.term !== this.lastTerm) {
      if (this.lastRole === 'leader' && raft.role !== 'leader') this.failAll({ code: 'leadership-lost' });
      if (raft.role !== this.lastRole) {
        const reason = [...rd.reasons].reverse().find(changesRole);
        this.world.record({ kind: 'role', node: this.id, role: raft.role, term: raft.term, ...optional(reason), ...triggered(this.world.deliveringTo(this.id)) });
      }
      this.lastRole = raft.role;
      this.lastTerm = raft.term;
    }
    this.applyAll(rd.committed);
    // A reply callback crashed this node: it is down, and nothing below applies to it any more.
    if (this.proc.raft !== raft) return;
    for (const rs of rd.readStates) this.requests.confirmed(rs.ctx, rs.index);
    for (const r of this.requests.due(raft.lastApplied)) this.answerQuery(r.statements, r.ts, r.reply);
    const base = this.proc.storage.snapshot;
    const since = raft.lastApplied - base.index;
    // The reason records how many entries were applied since the last snapshot: at least the
    // threshold, more when the log-bytes rule (snapshotPolicy.ts) made this node wait.
    if (snapshotDue(this.snapshotPolicy, this.stagger, since, this.bytesSinceSnapshot, base.data.length)) this.snapshot(since);
    if (raft.role === 'leader') this.hooks.onLeaderStep(this);
  }

  /** Apply in order, wrapping runs of plain writes in one transaction each (same end state, faster). */
  private applyAll(entries: readonly Entry[]): void {
    if (!this.requests.anyProposal) {
      // Nothing here to answer: plain writes wait to be batched (NodeDatabase.applyLater).
      for (const e of entries) this.apply(e);
      return;
    }
    const plain = entries.map(isBatchable);
    const raft = this.proc.raft;
    let open: NodeDatabase | null = null;
    for (let i = 0; i < entries.length; i++) {
      // A reply callback crashed this node (and maybe restarted it): what is left belongs to the
      // Raft state that went down; a restart rebuilds the database from the snapshot and the log,
      // and the batch went with the old database.
      if (this.proc.raft !== raft) return;
      if (open && !plain[i] && entries[i].kind === 'command') {
        // A reply callback may have crashed this node: its database is closed then, nothing to commit.
        if (open === this.db) open.endBatch();
        open = null;
      }
      if (!open && plain[i] && this.db && batchRun(entries, plain, i) >= MIN_BATCH && this.db.beginBatch()) open = this.db;
      this.apply(entries[i]);
    }
    if (open && open === this.db) open.endBatch();
  }

  private apply(entry: Entry): void {
    let results: (ExecuteResult | QueryResult)[] | null = null;
    const proposal = this.requests.proposal(entry.index);
    if (entry.kind === 'command') {
      const data = entry.data as EntryData;
      this.bytesSinceSnapshot += entryBytes(data);
      if (data.op === 'execute') {
        // Only the node that proposed the entry answers it (rqlite answers from the leader): the
        // others apply it without reading the counters its results come from, and a plain write
        // may wait there to be applied with the next ones in one transaction (applyLater).
        const cmd = commandOf(entry, data);
        if (proposal !== undefined && proposal.term === entry.term) results = this.database().execute(cmd);
        else this.database().applyLater(cmd);
      } else if (proposal && proposal.term === entry.term) {
        results = this.query(data.statements, data.ts ?? 0);
      }
    }
    this.hooks.onApply(this, entry);
    if (!proposal) return;
    this.requests.settle(entry.index);
    if (proposal.term !== entry.term) {
      this.hooks.reply(this, proposal.reply, failure(this.id, { code: 'overwritten' }));
    } else {
      this.hooks.reply(this, proposal.reply, { ok: true, node: this.id, result: { results: results ?? [] }, index: entry.index });
    }
  }

  private answerQuery(statements: Statement[], ts: number, reply: ReplyTo): void {
    this.hooks.reply(this, reply, { ok: true, node: this.id, result: { results: this.query(statements, ts) } });
  }

  private failAll(problem: Problem): void {
    for (const reply of this.requests.drain()) this.hooks.reply(this, reply, failure(this.id, problem));
  }
}

/** `{ reason }` when there is one: an event without a reason has no such field at all. */
function optional(reason: Reason | undefined): { reason?: Reason } {
  return reason ? { reason } : {};
}

function triggered(msgId: number | undefined): { triggeredBy?: number } {
  return msgId === undefined ? {} : { triggeredBy: msgId };
}

function isBatchable(e: Entry): boolean {
  if (e.kind !== 'command') return false;
  const d = e.data as EntryData;
  return d.op === 'execute' && batchableCommand(d);
}

/** How many batchable commands start at `i` (no-ops and configuration entries do not break a run). */
function batchRun(entries: readonly Entry[], plain: boolean[], i: number): number {
  let n = 0;
  for (let k = i; k < entries.length && n < MIN_BATCH; k++) {
    if (plain[k]) n++;
    else if (entries[k].kind === 'command') break;
  }
  return n;
}

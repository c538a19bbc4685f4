import type { Database } from 'sql.js';
import { BATCH_PRECONDITIONS, MIN_BATCH, preconditionsHold } from './batch';
import { enterEnvironment, environmentOf, leaveEnvironment, withEnvironment } from './clock';
import type { Connection } from './connection';
import type { ContentHashCache } from './contentCache';
import { commandFacts, type CommandFacts } from './facts';
import { setLastInsertRowid } from './settings';
import type { StatementRunner } from './statementRunner';
import type { Command, ExecuteResult } from './types';

/**
 * At most this many plain writes wait unapplied on a node that answers none of them (applyLater),
 * or are held in one open transaction: they are then applied, or committed, together.
 */
export const MAX_DEFERRED = 256;

/** A command batch.ts lets share a transaction with its neighbours (not a transaction of its own). */
const plainWrite = (cmd: Command, facts: CommandFacts): boolean => !cmd.transaction && facts.batchableText;

/** What the writes run on: the node's connection (opened on first use). */
export interface WritesHost {
  connection(): Connection;
}

/**
 * How one node's committed commands reach its sql.js connection: each alone, or plain writes
 * together in one transaction (batch.ts), a follower's waiting to be applied (applyLater) or held
 * in a transaction left open (hold). However they are grouped, the database ends, and every read
 * and answer finds it, exactly as if each had been applied alone the moment it came
 * (test/db/apply-later.test.ts, test/db/batch-fast-path.test.ts).
 */
export class Writes {
  /**
   * The batch preconditions as last read, or null when anything since could have changed them: only
   * a statement that is not a plain write can (DDL, a pragma), so plain writes keep the answer.
   */
  private batchOk: boolean | null = null;
  /** Between beginBatch and endBatch: the commands applied in the batch so far, to apply again if need be. */
  private batch: Command[] | null = null;
  /** last_insert_rowid() when the batch began: a rollback leaves the connection's as the batch left it. */
  private batchRowid = '0';
  /**
   * Plain writes committed and handed to this node with nobody waiting for its results (applyLater),
   * not run yet. Every method that runs or reads SQL applies them first, in order, so nothing can
   * tell them from writes applied at once; meanwhile they wait to be applied together in one batch.
   */
  private deferred: Command[] = [];
  private deferredFacts: CommandFacts[] = [];
  /**
   * The open batch was opened here, for plain writes, not by a caller of beginBatch: by `hash()` for
   * the writes that waited, or by `execute()` for a plain write it answers. The plain writes that
   * follow are applied in it as they come, and it is committed before anything else runs or reads
   * SQL here (settle). The safety monitor hashes every node after every apply, so without this each
   * follower's writes waited for one apply only and were applied alone, one transaction each, and a
   * leader answering one write at a time committed each alone.
   */
  private held = false;
  /**
   * A transaction of a batch is open (BEGIN to COMMIT). A batch that fell back to the careful way
   * (applyBatchAgain) keeps it open with `batch` null until its caller ends it: no other opens meanwhile.
   */
  private txn = false;

  constructor(private readonly host: WritesHost) {}

  private get db(): Database {
    return this.host.connection().db;
  }

  private get runner(): StatementRunner {
    return this.host.connection().runner;
  }

  private get content(): ContentHashCache {
    return this.host.connection().content;
  }

  /** Plain writes waiting to be applied. */
  get waiting(): number {
    return this.deferred.length;
  }

  /** A batch its caller opened (beginBatch) is open: the connection is mid-transaction, not to be imaged. */
  get openByCaller(): boolean {
    return this.batch !== null && !this.held;
  }

  /** A held batch is open with room for one more write. */
  private get joinable(): boolean {
    return this.held && this.batch !== null && this.batch.length < MAX_DEFERRED;
  }

  /** The connection is closed: what waits or is held goes with it (a restart replays it from the log). */
  reset(): void {
    this.deferred = [];
    this.deferredFacts = [];
    this.batch = null;
    this.held = false;
    this.txn = false;
  }

  /** Apply a committed command now (NodeDatabase.execute): a plain write in a held batch, anything else alone. */
  execute(cmd: Command, answer = true): ExecuteResult[] {
    const facts = commandFacts(cmd);
    if (plainWrite(cmd, facts)) {
      // A plain write is answered from inside a held batch, as a leader's run of them is in one
      // (applyAll): what follows it commits them all, and until then each reads what it wrote.
      if (this.joinable) return this.run(cmd, answer, facts);
      this.settle();
      if (this.batch === null) this.held = this.openBatch();
      return this.run(cmd, answer, facts);
    }
    this.settle();
    return this.run(cmd, answer, facts);
  }

  /**
   * Apply a committed command whose results nobody reads (a follower's apply). A plain write (see
   * batch.ts) may wait: it is applied before anything else runs or reads on this connection, and
   * with the writes that waited with it in one batch transaction, which ends exactly as the same
   * writes applied one by one (test/db/batch-fast-path.test.ts). Anything else is applied now.
   */
  applyLater(cmd: Command): void {
    const facts = commandFacts(cmd);
    const plain = plainWrite(cmd, facts);
    if (plain && this.joinable) {
      // A hash left the batch open: applied in it now, committed with it.
      this.run(cmd, false, facts);
      return;
    }
    if (this.held) this.settle();
    if (this.batch === null && plain) {
      this.deferred.push(cmd);
      this.deferredFacts.push(facts);
      if (this.deferred.length >= MAX_DEFERRED) this.settle();
      return;
    }
    this.settle();
    this.run(cmd, false, facts);
  }

  /**
   * Apply the writes that wait (applyLater) now, a run of MIN_BATCH or more in one batch transaction.
   * Everything that runs or reads SQL here does this first; a benchmark calls it to count that work.
   */
  settle(): void {
    if (this.held) {
      // Nothing waits while a batch is held (hold applied them all): commit what it holds.
      this.held = false;
      this.endBatch();
      return;
    }
    const cmds = this.deferred;
    if (cmds.length === 0) return;
    const facts = this.deferredFacts;
    this.deferred = [];
    this.deferredFacts = [];
    const batched = cmds.length >= MIN_BATCH && this.beginBatch();
    for (let i = 0; i < cmds.length; i++) this.run(cmds[i], false, facts[i]);
    if (batched) this.endBatch();
  }

  /**
   * Apply the writes that wait now, in a batch transaction left open (`held`) for the writes that
   * come next: for a reader of the content alone (hash()), which reads it as well inside the
   * transaction, so applying them one by one in autocommit, or together later, ends the same.
   */
  hold(): void {
    const cmds = this.deferred;
    if (cmds.length === 0) return;
    // Writes wait only while no batch is open (applyLater); a transaction may be, that of a batch
    // that fell back to the careful way (its caller ends it): then they are applied in it, unheld.
    const facts = this.deferredFacts;
    this.deferred = [];
    this.deferredFacts = [];
    this.held = this.openBatch();
    for (let i = 0; i < cmds.length; i++) this.run(cmds[i], false, facts[i]);
  }

  private run(cmd: Command, answer: boolean, facts = commandFacts(cmd)): ExecuteResult[] {
    // Opened first (a lazy restore opens here): the image it opens from holds what is there before this command.
    const content = this.content;
    const plain = plainWrite(cmd, facts);
    content.command(cmd, plain);
    if (!plain) {
      this.batchOk = null;
      // Nothing may hold a prepared statement while the schema or a setting changes.
      this.runner.prepared.clear();
    }
    const outer = enterEnvironment(environmentOf(cmd));
    try {
      if (this.batch && plain && !this.runner.largeRowids) {
        const out = this.runner.executeInBatch(cmd, facts, answer);
        if (out !== null) {
          this.batch.push(cmd);
          return out;
        }
        this.applyBatchAgain();
      }
      this.batch = null;
      return this.runner.executeAlone(cmd, facts);
    } finally {
      leaveEnvironment(outer);
    }
  }

  /** Roll the batch back and apply its commands again without answering, then go on the careful way. */
  private applyBatchAgain(): void {
    const done = this.batch ?? [];
    this.batch = null;
    this.db.run('ROLLBACK');
    this.db.run('BEGIN');
    // Statements may read last_insert_rowid(): give them the value they read the first time.
    setLastInsertRowid(this.db, this.batchRowid);
    this.runner.countersFresh = false;
    // The same statements on the same content: they write the same rows and no large rowid again.
    for (const c of done)
      withEnvironment(
        environmentOf(c),
        () =>
          this.runner.executeInBatch(c, commandFacts(c), false) ??
          this.runner.executeAlone(c, commandFacts(c)),
      );
  }

  /**
   * Open one transaction around a run of batchable commands (see batch.ts), so that SQLite commits
   * once per run instead of once per statement. False, and nothing opened, when the schema or the
   * connection's settings could make a batch end differently from the same statements one by one.
   */
  beginBatch(): boolean {
    this.settle();
    return this.openBatch();
  }

  private openBatch(): boolean {
    if (this.txn) return false;
    this.batchOk ??= preconditionsHold(this.db.exec(BATCH_PRECONDITIONS)[0]?.values[0]);
    if (!this.batchOk) return false;
    this.db.run('BEGIN');
    this.txn = true;
    this.batch = [];
    this.batchRowid = this.runner.readCounters()[1];
    return true;
  }

  endBatch(): void {
    this.batch = null;
    this.txn = false;
    this.db.run('COMMIT');
  }
}

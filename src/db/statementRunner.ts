import type { Database, Statement as SqlJsStatement } from 'sql.js';
import { refusalText } from './admission';
import type { CommandFacts, StatementFacts } from './facts';
import { LargestRowidCheck } from './largestRowid';
import { PreparedTemplates } from './prepared';
import { holdsLargeRowid, resetLargeRowid, sawLargeRowid, wroteRows } from './rowidWatch';
import { setLastInsertRowid } from './settings';
import { splitStatements } from './statements';
import type { Command, ExecuteResult, Statement } from './types';
import { exactInteger } from './values';
import { runChecked } from './runChecked';
import { unreadResults, withError } from './unreadResults';

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Run a prepared statement that returns no rows, and make it ready to run again. */
function step(stmt: SqlJsStatement): void {
  try {
    stmt.step();
  } finally {
    stmt.reset();
  }
}

/**
 * How one connection runs a command's statements and answers as rqlite does: each write in a
 * savepoint (undone if it failed, or if it reached the largest rowid), or, inside a batch the
 * caller opened (database.ts), without one; and the counters (total_changes(), last_insert_rowid())
 * the answers come from. The caller applies what waits, opens and closes batches, and runs queries.
 */
export class StatementRunner {
  private readonly counters: SqlJsStatement;
  /** SAVEPOINT and RELEASE around each write, prepared once per connection: they run on every statement. */
  private readonly savepoint: SqlJsStatement;
  private readonly releasepoint: SqlJsStatement;
  totalChanges = 0;
  /** last_insert_rowid() after the last statement, as text: put back when a statement is undone. */
  lastRowid = '0';
  /**
   * totalChanges and lastRowid are what the connection says now: set after a statement that
   * succeeded, cleared by anything else that runs SQL. Between plain commands only BEGIN and COMMIT
   * run, which change neither, so a command does not read them again before its first statement.
   */
  countersFresh = false;
  /**
   * Some table may hold a rowid of 2^62 or more (rowidWatch.ts): one was written on this connection,
   * or the snapshot it was restored from has one. Until then no statement needs the largest-rowid
   * check unless it writes one itself, and batches run without per-statement savepoints.
   */
  largeRowids: boolean;
  readonly largestRowid: LargestRowidCheck;
  readonly prepared: PreparedTemplates;

  /** `largeRowids`: known already (a checkpoint's image says), so the tables need not be scanned for one. */
  constructor(
    private readonly db: Database,
    largeRowids?: boolean,
  ) {
    this.savepoint = db.prepare('SAVEPOINT raftlite_statement');
    this.releasepoint = db.prepare('RELEASE raftlite_statement');
    this.counters = db.prepare('SELECT total_changes(), CAST(last_insert_rowid() AS TEXT)');
    this.largestRowid = new LargestRowidCheck(db);
    this.prepared = new PreparedTemplates(db);
    this.largeRowids = largeRowids ?? holdsLargeRowid(db);
  }

  /**
   * A plain command inside a batch: no savepoint and no largest-rowid check per statement, since the
   * update hook saw no rowid near the largest (rowidWatch.ts). Null when it did: nothing is answered
   * and the caller applies the batch again the careful way.
   *
   * Unanswered (a follower's apply), the results only say which statements failed, and while none
   * has they are not made: a command that fails nowhere gets one shared, frozen array of empty
   * results (`unreadResults`). An array and an object per command on every follower were an eighth
   * of what replicated writes allocated.
   */
  executeInBatch(cmd: Command, facts: CommandFacts, answer: boolean): ExecuteResult[] | null {
    if (answer && !this.countersFresh) [this.totalChanges, this.lastRowid] = this.readCounters();
    // Null while unanswered and nothing failed: then the results are empty ones, made only if one fails.
    let out: ExecuteResult[] | null = answer ? [] : null;
    for (let i = 0; i < cmd.statements.length; i++) {
      const f = facts.statements[i];
      if (f.refusal !== null) {
        out = withError(out, i, f.refusal);
        continue;
      }
      if (f.changesTables) this.largestRowid.forget();
      resetLargeRowid();
      try {
        this.runChecked(cmd.statements[i], f);
      } catch (e) {
        this.countersFresh = false;
        // A failed statement that wrote rows SQLite did not keep may have left them behind (undoFailed): the careful way undoes them.
        if (this.sawLarge() || (wroteRows() && this.db.getRowsModified() === 0)) return null;
        out = withError(out, i, message(e));
        // Rows it kept (OR FAIL) moved total_changes(): the next statement answers only its own.
        if (answer) [this.totalChanges, this.lastRowid] = this.readCounters();
        continue;
      }
      if (this.sawLarge()) return null;
      if (answer) out!.push(this.resultOf(this.readCounters()));
      else out?.push({});
      this.countersFresh &&= answer;
    }
    return out ?? unreadResults(cmd.statements.length);
  }

  /** A command applied on its own: each write in a savepoint, undone if it reached the largest rowid. */
  executeAlone(cmd: Command, facts: CommandFacts): ExecuteResult[] {
    if (!this.countersFresh) [this.totalChanges, this.lastRowid] = this.readCounters();
    if (!cmd.transaction) {
      // Without a BEGIN of the user's in the command, each statement runs as in autocommit.
      const autocommit = !facts.mayOpenTransaction;
      const out = cmd.statements.map((s, i) => this.executeOne(s, facts.statements[i], autocommit));
      if (facts.mayOpenTransaction) this.closeDanglingTransaction();
      return out;
    }
    const out: ExecuteResult[] = [];
    this.db.run('BEGIN');
    for (let i = 0; i < cmd.statements.length; i++) {
      const r = this.executeOne(cmd.statements[i], facts.statements[i], false);
      out.push(r);
      if (r.error !== undefined) {
        this.closeDanglingTransaction();
        return out;
      }
    }
    try {
      this.db.run('COMMIT');
    } catch (e) {
      this.closeDanglingTransaction();
      out.push({ error: message(e) });
    }
    return out;
  }

  /** `autocommit`: no transaction is open around this statement's savepoint (see undoFailed). */
  private executeOne(s: Statement, facts: StatementFacts, autocommit: boolean): ExecuteResult {
    this.countersFresh = false;
    if (facts.refusal !== null) return { error: facts.refusal };
    if (facts.changesTables) this.largestRowid.forget();
    const wrap = facts.wrappable;
    if (wrap) step(this.savepoint);
    // Only a table that held a large rowid before, or a statement that wrote one, can hold the largest.
    const before = this.largeRowids;
    resetLargeRowid();
    try {
      this.runChecked(s, facts);
    } catch (e) {
      this.sawLarge();
      if (wrap) this.undoFailed(s, facts, autocommit);
      // Rows it kept (OR FAIL) or ran again (undoFailed) moved total_changes(): the next statement
      // of the command answers only its own.
      [this.totalChanges, this.lastRowid] = this.readCounters();
      return { error: message(e) };
    }
    const wrote = this.sawLarge();
    const counters = this.readCounters();
    if (wrap && counters[0] !== this.totalChanges && (before || wrote) && this.largestRowid.holds()) {
      // Undo the statement: the rows it gave random rowids to differ from node to node.
      // The undone rows leave last_insert_rowid() at a random rowid: put back the one before.
      this.db.run('ROLLBACK TO raftlite_statement');
      this.release();
      setLastInsertRowid(this.db, this.lastRowid);
      this.totalChanges = this.readCounters()[0];
      return { error: refusalText({ code: 'largest-rowid' }) };
    }
    if (wrap) this.release();
    return this.resultOf(counters);
  }

  /** Whether the statement that just ran wrote a large rowid; if so, from now on this database may hold one. */
  private sawLarge(): boolean {
    const seen = sawLargeRowid();
    if (seen) this.largeRowids = true;
    return seen;
  }

  /** rqlite's result of the statement that just ran, from the counters read after it. */
  private resultOf([total, rowid]: [number, string]): ExecuteResult {
    const changed = total - this.totalChanges;
    this.totalChanges = total;
    this.lastRowid = rowid;
    this.countersFresh = true;
    const r: ExecuteResult = {};
    if (rowid !== '0') r.last_insert_id = exactInteger(rowid);
    if (changed !== 0) r.rows_affected = changed;
    return r;
  }

  /** The statement(s) in s.sql, run as db.run would, each estimated just before it runs (runChecked.ts). */
  private runChecked(s: Statement, facts: StatementFacts): void {
    runChecked(this.db, this.prepared, s, facts);
  }

  /**
   * Undo what a failed statement wrote, as rqlite's autocommit does. SQLite leaves the rows a
   * statement wrote before failing when it kept no statement journal (a STRICT column refusing the
   * second row of a multi-row INSERT keeps the first). In a text of several statements, those before
   * the failing one stand, as each would have committed alone: they are run again, each in a savepoint.
   * Rows SQLite kept on purpose are counted by changes() and stay, as autocommit keeps them (OR FAIL).
   * An ON CONFLICT ROLLBACK or RAISE(ROLLBACK) ends the transaction, savepoint and all: inside one
   * (the command's, or a user's BEGIN) that is the end of it, as in rqlite; in `autocommit` the
   * statements before the failing one would have committed alone, so they are run again.
   */
  private undoFailed(s: Statement, facts: StatementFacts, autocommit: boolean): void {
    if (this.db.getRowsModified() > 0) {
      if (this.reachedLargest(facts)) this.rollBackStatement();
      return this.release();
    }
    if (!this.rollBackStatement()) {
      if (!autocommit) return;
      step(this.savepoint);
    }
    const parts = s.params && s.params.length > 0 ? [] : splitStatements(s.sql);
    for (let i = 0; i < parts.length - 1; i++) {
      resetLargeRowid();
      try {
        this.runChecked({ sql: parts[i] }, { ...facts, template: null });
      } catch {
        this.rollBackStatement();
        break;
      }
      // Refused as it would be alone: it is undone, and the text stops there.
      if (this.reachedLargest(facts)) {
        this.rollBackStatement();
        break;
      }
      step(this.releasepoint);
      step(this.savepoint);
    }
    this.release();
  }

  /**
   * Whether rows the statement wrote (since resetLargeRowid()) must be undone by the largest-rowid
   * rule, as executeOne undoes a statement that succeeded: it changed rows, and some table holds
   * the largest rowid, which only a table that held a large rowid already, or got one now, can.
   */
  private reachedLargest(facts: StatementFacts): boolean {
    this.sawLarge();
    if (!this.largeRowids || this.db.getRowsModified() === 0) return false;
    if (facts.changesTables) this.largestRowid.forget();
    return this.largestRowid.holds();
  }

  /** Undo the statement savepoint's work; false if a ROLLBACK in the statement already ended it. */
  private rollBackStatement(): boolean {
    try {
      this.db.run('ROLLBACK TO raftlite_statement');
      return true;
    } catch {
      return false;
    }
  }

  private release(): void {
    try {
      step(this.releasepoint);
    } catch {
      // an ON CONFLICT ROLLBACK or RAISE(ROLLBACK) ended the transaction, savepoint and all
    }
  }

  /** total_changes(), and last_insert_rowid() as text (exact past 2^53). */
  readCounters(): [number, string] {
    this.counters.step();
    const [total, rowid] = this.counters.get() as [number, string];
    this.counters.reset();
    return [total, rowid];
  }

  /** A user's BEGIN without COMMIT must not leak into the next command (or a snapshot). */
  closeDanglingTransaction(): void {
    this.largestRowid.forget();
    try {
      this.db.run('ROLLBACK');
    } catch {
      // no transaction was open: the usual case
    }
  }
}

import type { Database, SqlJsStatic } from 'sql.js';
import { BATCH_PRECONDITIONS, MIN_BATCH, preconditionsHold } from './batch';
import { commandFacts, type CommandFacts } from './facts';
import { closeConnection, openConnection, type Connection } from './connection';
import { environmentOf, withEnvironment } from './clock';
import { tableViews } from './content';
import { ContentHashCache, type ContentHashState } from './contentCache';
import { readSettings, setLastInsertRowid, withSettings } from './settings';
import { DEFAULT_MAX_ROWS, runReads, type QueryEnvironment } from './reads';
import { StatementRunner } from './statementRunner';
import type { Command, ExecuteResult, QueryResult, Statement, TableView } from './types';

export { DEFAULT_MAX_ROWS, type QueryEnvironment } from './reads';

/**
 * At most this many plain writes wait unapplied on a node that answers none of them (applyLater):
 * they are then applied in one batch transaction, as they are whenever anything reads the database.
 */
export const MAX_DEFERRED = 256;

export interface DatabaseImage {
  readonly bytes: Uint8Array;
  readonly largeRowids: boolean;
  /** The content hash's saved states for these bytes, if they were current (contentCache.ts). */
  readonly content: ContentHashState | null;
}

/**
 * What a new database not yet opened stands for: not an image (no file, no settings), so the
 * first use opens a fresh connection and `image()` exports it as it would any other.
 */
const EMPTY: DatabaseImage = { bytes: new Uint8Array(0), largeRowids: false, content: null };

/** One node's state machine: a sql.js database that committed commands are applied to. */
export class NodeDatabase {
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

  /** The sql.js connection, and what runs and watches statements on it; null until opened. */
  private conn: Connection | null = null;
  /** The image a lazily restored database opens from (`fromImage`), until something runs or reads SQL. */
  private unopened: DatabaseImage | null = null;
  /**
   * Commands run on this connection so far: nothing else changes the file, its settings or
   * last_insert_rowid() (a read cannot: reads.ts refuses writes, a pragma with a value included).
   */
  private written = 0;
  /**
   * The image last taken of this database (or restored from), and `written` then: while nothing has
   * been written since, a new image would be the same file, and the one kept is given again. A
   * quiet cluster was exported whole, every node, at every checkpoint (one a second as the page
   * plays, and again in a reload's replay).
   */
  private imaged: { image: DatabaseImage; written: number } | null = null;
  private constructor(private readonly SQL: SqlJsStatic) {}

  /**
   * A new empty database, or one restored from a snapshot made by `export()`. `largeRowids`: whether
   * a table holds a rowid of 2^62 or more, when known (else the tables are scanned for one).
   */
  static create(SQL: SqlJsStatic, bytes?: Uint8Array, largeRowids?: boolean): NodeDatabase {
    const d = new NodeDatabase(SQL);
    // A new empty database is opened when first used, like a lazy restore: the page's first cluster
    // opened five at start (about 120 ms of a cold first visit, before the page answered), and a
    // fresh cluster runs no SQL until it is asked to.
    if (bytes && bytes.length > 0) d.open(bytes, largeRowids);
    else d.unopened = EMPTY;
    return d;
  }

  private open(bytes: Uint8Array | undefined, largeRowids: boolean | undefined): Connection {
    this.conn = openConnection(this.SQL, bytes, largeRowids);
    return this.conn;
  }

  /** The connection, opened now from the image a lazy restore left (the image is not changed). */
  private get connection(): Connection {
    if (this.conn) return this.conn;
    const image = this.unopened;
    if (!image) throw new Error('this database was closed');
    this.unopened = null;
    if (image === EMPTY) return this.open(undefined, undefined);
    const conn = this.open(image.bytes, image.largeRowids);
    if (image.content) conn.content.restore(image.content);
    this.imaged = { image, written: this.written };
    return conn;
  }

  private get db(): Database {
    return this.connection.db;
  }

  /** Runs each command's statements and keeps the counters its answers come from. */
  private get runner(): StatementRunner {
    return this.connection.runner;
  }

  /** hash(), kept up to date from the rows each statement touched (contentCache.ts). */
  private get content(): ContentHashCache {
    return this.connection.content;
  }

  /** A new database that nothing has run or read SQL on yet (so not opened): it holds no table. */
  get blank(): boolean {
    return this.conn === null && this.unopened === EMPTY;
  }

  /** Open a new database now rather than at its first use: true when it was not open yet. */
  openNow(): boolean {
    if (!this.blank) return false;
    void this.connection;
    return true;
  }

  /** Whether the sql.js connection is open (a lazy restore opens it on first use). */
  get opened(): boolean {
    return this.conn !== null;
  }

  /**
   * Apply a committed command. Depends only on the database content and the command: the clock is
   * the command's, the time zone UTC, and random() draws from a source seeded by `cmd.seed` (the
   * entry's log index), so every node, and every replay, gets the same values. `answer` false: no
   * client waits for this node's results (a follower's), so the counters they come from go unread.
   */
  execute(cmd: Command, answer = true): ExecuteResult[] {
    const facts = commandFacts(cmd);
    if (!cmd.transaction && facts.batchableText) {
      // A plain write is answered from inside a held batch, as a leader's run of them is in one
      // (applyAll): what follows it commits them all, and until then each reads what it wrote.
      if (this.held && this.batch !== null && this.batch.length < MAX_DEFERRED) return this.run(cmd, answer, facts);
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
    const plain = !cmd.transaction && facts.batchableText;
    if (plain && this.held && this.batch !== null && this.batch.length < MAX_DEFERRED) {
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
  private hold(): void {
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
    this.written++;
    const plain = !cmd.transaction && facts.batchableText;
    content.command(cmd, plain);
    if (!plain) {
      this.batchOk = null;
      // Nothing may hold a prepared statement while the schema or a setting changes.
      this.runner.prepared.clear();
    }
    return withEnvironment(environmentOf(cmd), () => {
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
    });
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

  /** Run reads on this node's data (reads.ts), once the writes waiting here are applied. */
  query(statements: Statement[], maxRows = DEFAULT_MAX_ROWS, env: QueryEnvironment = { ts: 0, seed: 0 }): QueryResult[] {
    this.settle();
    this.runner.countersFresh = false;
    return runReads(this.db, statements, maxRows, env);
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

  /**
   * SQLite's schema cookie: it moves whenever a table is created, dropped or altered, so a reader
   * of the schema reads it again only then. Plain writes waiting to be applied cannot move it.
   */
  schemaVersion(): number {
    // A new database not yet opened: a fresh connection's cookie is 0.
    if (this.blank) return 0;
    return Number(this.db.exec('PRAGMA schema_version')[0]?.values[0]?.[0] ?? 0);
  }

  /** The snapshot of this database: the SQLite file, with the connection settings it runs under. */
  export(): Uint8Array {
    this.settle();
    this.runner.countersFresh = false;
    const settings = readSettings(this.db);
    // sql.js 1.16 exports through SQLite's backup API: the connection stays open, with its settings,
    // functions and prepared statements (test/db/export.test.ts holds it to that), so nothing here
    // is set up again. The header copy (withSettings) is one memcpy, small beside the export.
    return withSettings(this.db.export(), settings);
  }

  /**
   * What a checkpoint keeps of this node: `export()` (the file, the settings and last_insert_rowid()),
   * whether a large rowid was ever seen, and the content hash's saved states (so a fork does not
   * hash every restored database whole). Null while the connection holds what a file cannot
   * carry: a TEMP table, or a batch still open.
   */
  image(): DatabaseImage | null {
    // Restored lazily and untouched since: the image it was restored from is what it holds.
    if (!this.conn && this.unopened && this.unopened !== EMPTY && this.deferred.length === 0) return this.unopened;
    if (this.batch !== null && !this.held) return null;
    this.settle();
    if (this.imaged && this.imaged.written === this.written) return this.imaged.image;
    const temp = this.db.exec('SELECT count(*) FROM sqlite_temp_master');
    if (Number(temp[0]?.values[0]?.[0] ?? 0) !== 0) return null;
    const bytes = this.export();
    const image = { bytes, largeRowids: this.runner.largeRowids, content: this.content.save() };
    this.imaged = { image, written: this.written };
    return image;
  }

  /**
   * A database in the state `image()` recorded (the image is not changed: restore it again at will).
   * `lazy`: opened only when something first runs or reads SQL on it. A follower's writes wait
   * unapplied (applyLater), so a run replayed for a second or two (to remake dropped history)
   * opens only the databases of nodes that answer or read: opening one (the file, its settings,
   * its functions) was most of what starting such a replay cost, nine times.
   */
  static fromImage(SQL: SqlJsStatic, image: DatabaseImage, lazy = false): NodeDatabase {
    const d = new NodeDatabase(SQL);
    d.unopened = image;
    // The image knows: scanning every table for a large rowid was a quarter of a fork's restore.
    if (!lazy) void d.connection;
    return d;
  }

  /** Writes still waiting (applyLater) are dropped with the connection: a restart replays them from the log. */
  close(): void {
    this.deferred = [];
    this.deferredFacts = [];
    // A held batch is rolled back with the connection: its writes are dropped as the waiting ones are.
    this.batch = null;
    this.held = false;
    this.txn = false;
    this.unopened = null;
    this.imaged = null;
    if (!this.conn) return;
    closeConnection(this.conn);
    this.conn = null;
  }

  /** Hash of the logical content (schema and rows), equal for a replayed and a restored copy. */
  hash(): string {
    this.hold();
    return this.content.hash();
  }

  tables(limit = 200): TableView[] {
    this.settle();
    return tableViews(this.db, limit);
  }
}

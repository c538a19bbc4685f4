import type { Database, SqlJsStatic } from 'sql.js';
import { closeConnection, openConnection, type Connection } from './connection';
import { tableViews } from './content';
import { bytesOf, type FileBytes } from './fileBytes';
import type { ContentHashCache, ContentHashState } from './contentCache';
import { isBatchable } from './facts';
import { readSettings, withSettings } from './settings';
import { DEFAULT_MAX_ROWS, runReads, type QueryEnvironment } from './reads';
import type { StatementRunner } from './statementRunner';
import type { Command, ExecuteResult, QueryResult, Statement, TableView } from './types';
import { Writes } from './writes';

export { DEFAULT_MAX_ROWS, type QueryEnvironment } from './reads';

export { MAX_DEFERRED } from './writes';

export interface DatabaseImage {
  /** The file (with its settings, settings.ts): as exported, or as a checkpoint keeps it. */
  readonly bytes: FileBytes;
  readonly largeRowids: boolean;
  /** The content hash's saved states for these bytes, if they were current (contentCache.ts). */
  readonly content: ContentHashState | null;
  /**
   * Plain writes (batch.ts) applied after `bytes` was exported: the database is the file with these
   * applied in order. Null when the bytes are the database. See `image(true)`.
   */
  readonly pending: PendingWrites | null;
}

/** The first `count` commands of `commands` (an array the node goes on appending to). */
export interface PendingWrites {
  readonly commands: readonly Command[];
  readonly count: number;
}

/**
 * At most this many plain writes are kept as an image's `pending` rather than exported: a restored
 * node applies them again when first used (in batches, a few ms in the page at this size), and a
 * lazy restore keeps them waiting unapplied, below MAX_DEFERRED.
 */
export const MAX_PENDING = 192;

/**
 * What a new database not yet opened stands for: not an image (no file, no settings), so the
 * first use opens a fresh connection and `image()` exports it as it would any other.
 */
const EMPTY: DatabaseImage = { bytes: new Uint8Array(0), largeRowids: false, content: null, pending: null };

/** One node's state machine: a sql.js database that committed commands are applied to. */
export class NodeDatabase {
  /** The sql.js connection, and what runs and watches statements on it; null until opened. */
  private conn: Connection | null = null;
  /** The image a lazily restored database opens from (`fromImage`), until something runs or reads SQL. */
  private unopened: DatabaseImage | null = null;
  /**
   * The last export taken of this database (or restored from), and how many commands were handed to
   * it since. Only commands change the file, its settings or last_insert_rowid() (a read cannot:
   * reads.ts refuses writes, a pragma with a value included). While none has come, a new image
   * would be the same file, and the one kept is given again: a quiet cluster was exported whole,
   * every node, at every checkpoint (one a second as the page plays, and again in a reload's replay).
   */
  private base: DatabaseImage | null = null;
  private changes = 0;
  /**
   * The commands since `base`, in order, while an image may keep them as pending (`deferrable`: all
   * plain writes, at most MAX_PENDING); past that, none is kept (the next image exports).
   */
  private since: Command[] = [];
  private deferrable = true;
  /** How committed commands reach the connection, alone or batched (writes.ts). */
  private readonly writes = new Writes({ connection: () => this.connection });
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
    const conn = this.open(bytesOf(image.bytes), image.largeRowids);
    if (image.content) conn.content.restore(image.content);
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
    this.handed(cmd);
    return this.writes.execute(cmd, answer);
  }

  /** Apply a committed command whose results nobody reads (a follower's apply): a plain write may wait (writes.ts). */
  applyLater(cmd: Command): void {
    this.handed(cmd);
    this.writes.applyLater(cmd);
  }

  private handed(cmd: Command): void {
    this.changes++;
    if (!this.deferrable) return;
    if (this.since.length < MAX_PENDING && isBatchable(cmd)) this.since.push(cmd);
    else {
      this.deferrable = false;
      // A new array: images taken before hold the old one, with their counts.
      this.since = [];
    }
  }

  /** Apply what waits and commit what is held: everything that runs or reads SQL here does this first. */
  settle(): void {
    this.writes.settle();
  }

  /** Open one transaction around a run of plain writes (a leader's, applyAll); false when it may not. */
  beginBatch(): boolean {
    return this.writes.beginBatch();
  }

  endBatch(): void {
    this.writes.endBatch();
  }

  /** Run reads on this node's data (reads.ts), once the writes waiting here are applied. */
  query(statements: Statement[], maxRows = DEFAULT_MAX_ROWS, env: QueryEnvironment = { ts: 0, seed: 0 }): QueryResult[] {
    this.settle();
    this.runner.countersFresh = false;
    return runReads(this.db, statements, maxRows, env);
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
   *
   * `mayDefer`: when only plain writes (at most MAX_PENDING) came since the last export, the image
   * is that export with the writes as `pending`, and nothing is exported or applied now. Nine
   * exports at one checkpoint (about 2 ms each in Chrome) made one frame a simulated second
   * 7–17 ms long while the page played; the exports are now made ahead, a node at a time
   * (replay/exportAhead.ts). A plain write cannot make a TEMP table or leave a transaction open.
   */
  image(mayDefer = false): DatabaseImage | null {
    // Nothing since the last export (or the image it was restored from, opened or not): that is what it holds.
    if (this.changes === 0 && this.base) return this.base;
    if (this.writes.openByCaller) return null;
    const base = this.base;
    if (mayDefer && base && this.pendingSinceImage > 0) return { ...base, pending: { commands: this.since, count: this.since.length } };
    this.settle();
    const temp = this.db.exec('SELECT count(*) FROM sqlite_temp_master');
    if (Number(temp[0]?.values[0]?.[0] ?? 0) !== 0) return null;
    const bytes = this.export();
    const image: DatabaseImage = { bytes, largeRowids: this.runner.largeRowids, content: this.content.save(), pending: null };
    this.rebase(image);
    return image;
  }

  /**
   * How many plain writes `image(true)` would keep as pending instead of exporting: 0 when it
   * would export (or nothing came since the last export).
   */
  get pendingSinceImage(): number {
    return this.base && this.deferrable ? this.since.length : 0;
  }

  /** Commands handed to this database since its last export (0: an image now would be that export). */
  get changesSinceImage(): number {
    return this.changes;
  }

  /** `image` is what this database holds, with nothing since. */
  private rebase(image: DatabaseImage): void {
    this.base = image;
    this.changes = 0;
    this.since = [];
    this.deferrable = true;
  }

  /**
   * A database in the state `image()` recorded (the image is not changed: restore it again at will).
   * `lazy`: opened only when something first runs or reads SQL on it. A follower's writes wait
   * unapplied (applyLater), so a run replayed for a second or two (to remake dropped history)
   * opens only the databases of nodes that answer or read: opening one (the file, its settings,
   * its functions) was most of what starting such a replay cost, nine times. An image's pending
   * writes wait the same way, applied with the next that come (none is answered again).
   */
  static fromImage(SQL: SqlJsStatic, image: DatabaseImage, lazy = false): NodeDatabase {
    const d = new NodeDatabase(SQL);
    const file = image.pending ? { ...image, pending: null } : image;
    d.unopened = file;
    d.rebase(file);
    if (image.pending) for (let i = 0; i < image.pending.count; i++) d.applyLater(image.pending.commands[i]);
    // The image knows: scanning every table for a large rowid was a quarter of a fork's restore.
    if (!lazy) void d.connection;
    return d;
  }

  /** Writes still waiting (applyLater) are dropped with the connection: a restart replays them from the log. */
  close(): void {
    // A held batch is rolled back with the connection: its writes are dropped as the waiting ones are.
    this.writes.reset();
    this.unopened = null;
    this.base = null;
    this.changes = 0;
    this.since = [];
    if (!this.conn) return;
    closeConnection(this.conn);
    this.conn = null;
  }

  /** Hash of the logical content (schema and rows), equal for a replayed and a restored copy. */
  hash(): string {
    // Writes waiting are applied in a transaction left open: hashing after every apply (the safety
    // monitor does) would otherwise commit each alone.
    this.writes.hold();
    return this.content.hash();
  }

  tables(limit = 200): TableView[] {
    this.settle();
    return tableViews(this.db, limit);
  }
}

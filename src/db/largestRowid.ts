import type { Database, Statement as SqlJsStatement } from 'sql.js';
import { statementTokens } from './statements';
import { significant, tokenize } from './tokenizer';

const LARGEST_ROWID = '9223372036854775807';
/** Statements that may not run inside a savepoint, or that end or open the transaction themselves. */
const UNWRAPPABLE = new Set(['begin', 'commit', 'end', 'rollback', 'savepoint', 'release', 'vacuum', 'pragma', 'attach', 'detach']);
const FIRST_WORD = /^\s*([a-z]+)/i;

/**
 * Whether every statement in `sql` may run inside our savepoint: none starts with a word of
 * UNWRAPPABLE (a pragma inside a transaction is silently ignored, BEGIN inside one fails). Only
 * the first word of each statement counts: CASE … END inside an INSERT is wrapped as usual.
 */
export function wrappable(sql: string): boolean {
  if (!/;|--|\/\*/.test(sql)) return !UNWRAPPABLE.has(FIRST_WORD.exec(sql)?.[1].toLowerCase() ?? '');
  return statementTokens(significant(tokenize(sql))).every((s) => !UNWRAPPABLE.has(s[0].text.toLowerCase()));
}
/** Words of statements that may change the set of tables: the largest-rowid check is built again. */
const NEW_TABLES = /\b(create|drop|alter|rollback)\b/i;

/** A statement that may create, drop or alter tables (or roll them back) makes the check stale. */
export function mayChangeTables(sql: string): boolean {
  return NEW_TABLES.test(sql);
}

const ROWID_ALIASES = ['_rowid_', 'rowid', 'oid'];

/**
 * How a query can name the rowid of a rowid table: the first of `_rowid_`, `rowid`, `oid` that no
 * column hides, else the INTEGER PRIMARY KEY column (the rowid under its own name), else null. A
 * column named `_rowid_` hides only that alias: `INSERT INTO t(rowid, …)` still sets the rowid. With
 * all three hidden and no such key, no statement can name the rowid, nor so set it near the largest.
 */
export function rowidName(db: Database, table: string): string | null {
  const cols = db.exec(`SELECT name, type, pk FROM pragma_table_info('${table.replace(/'/g, "''")}')`)[0]?.values ?? [];
  const names = new Set(cols.map((c) => String(c[0]).toLowerCase()));
  const free = ROWID_ALIASES.find((a) => !names.has(a));
  if (free !== undefined) return free;
  const key = cols.filter((c) => Number(c[2]) > 0);
  return key.length === 1 && String(key[0][1]).toUpperCase() === 'INTEGER' ? `"${String(key[0][0]).replace(/"/g, '""')}"` : null;
}

/**
 * The largest-rowid rule: once a table holds rowid 2^63-1, SQLite picks the next rowid from its
 * process-wide random generator, which every node shares. A statement that gets there is undone
 * (the caller wraps each write in a savepoint) and refused, so no table ever reaches it.
 */
export class LargestRowidCheck {
  /** `SELECT` whether any rowid table holds the largest rowid; undefined: to build; null: no tables. */
  private check: SqlJsStatement | null | undefined;

  constructor(private readonly db: Database) {}

  /** Drop the prepared check: the set of tables may have changed. */
  forget(): void {
    this.check?.free();
    this.check = undefined;
  }

  /**
   * Whether some table holds rowid 2^63-1. Once one does, SQLite gives the next row of that table a
   * rowid from its process-wide random generator, which nodes share and draw from in different
   * orders: a statement that gets there is refused (and undone), so no table ever reaches it.
   */
  holds(): boolean {
    // Built from the schema, the check fails to step once a table it names is gone (a rolled-back
    // CREATE, a DROP in a trigger): build it again from the schema as it is now, once.
    for (let attempt = 0; attempt < 2; attempt++) {
      const check = this.check === undefined ? (this.check = this.build()) : this.check;
      if (check === null) return false;
      try {
        check.step();
        return check.get()[0] === 1;
      } catch {
        this.forget();
      } finally {
        this.check?.reset();
      }
    }
    // The check would not step even when built afresh: no table can be asked, so none holds it.
    return false;
  }

  private build(): SqlJsStatement | null {
    const tables = this.db.exec("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND wr = 0 AND name NOT LIKE 'sqlite_%'");
    const tests: string[] = [];
    for (const [table] of tables[0]?.values ?? []) {
      const rowid = rowidName(this.db, String(table));
      if (rowid !== null) tests.push(`EXISTS (SELECT 1 FROM "${String(table).replace(/"/g, '""')}" WHERE ${rowid} = ${LARGEST_ROWID})`);
    }
    if (tests.length === 0) return null;
    return this.db.prepare(`SELECT ${tests.join(' OR ')}`);
  }
}

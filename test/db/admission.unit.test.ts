/**
 * Which SQL may reach the log or the read path (admission.ts), pragma by pragma and statement by
 * statement, and the sentence each refusal is shown with. Every node decides from the text alone,
 * so these lists are the contract: a pragma moved from one list to another changes what users may run.
 */
import { describe, expect, it } from 'vitest';
import { admissionRefusal, MAX_NESTING, nestingDepth, refusalText, SETTABLE, type SqlRefusal } from '../../src/db/admission';

const REPORTS = [
  'application_id', 'auto_vacuum', 'automatic_index', 'cache_size', 'collation_list', 'compile_options', 'data_version', 'defer_foreign_keys',
  'encoding', 'foreign_key_check', 'foreign_key_list', 'foreign_keys', 'freelist_count', 'function_list', 'ignore_check_constraints',
  'index_info', 'index_list', 'index_xinfo', 'integrity_check', 'journal_mode', 'legacy_alter_table', 'locking_mode', 'max_page_count',
  'module_list', 'page_count', 'page_size', 'pragma_list', 'query_only', 'quick_check', 'recursive_triggers', 'reverse_unordered_selects',
  'schema_version', 'secure_delete', 'synchronous', 'table_info', 'table_list', 'table_xinfo', 'temp_store', 'user_version',
];
const DESCRIBE = ['foreign_key_check', 'foreign_key_list', 'index_info', 'index_list', 'index_xinfo', 'integrity_check', 'quick_check', 'table_info', 'table_list', 'table_xinfo'];
const SETTABLE_NAMES = [
  'application_id', 'user_version', 'foreign_keys', 'recursive_triggers', 'reverse_unordered_selects', 'ignore_check_constraints', 'legacy_alter_table',
  'automatic_index', 'defer_foreign_keys', 'max_page_count',
];
const PROCESS = ['hard_heap_limit', 'soft_heap_limit', 'threads', 'shrink_memory', 'mmap_size', 'temp_store_directory', 'data_store_directory'];

describe('pragmas', () => {
  it('every reporting pragma may be read, on both paths, in any case and with a schema', () => {
    for (const name of REPORTS) {
      for (const path of ['log', 'query'] as const) {
        expect(admissionRefusal(`PRAGMA ${name}`, path), `${name} ${path}`).toBeNull();
        expect(admissionRefusal(`pragma main.${name.toUpperCase()}`, path), `${name} ${path}`).toBeNull();
      }
    }
    expect(admissionRefusal('PRAGMA "user_version"', 'query')).toBeNull();
  });

  it('a pragma that describes a table takes its name on both paths', () => {
    for (const name of DESCRIBE) {
      expect(admissionRefusal(`PRAGMA ${name}(t)`, 'query'), name).toBeNull();
      expect(admissionRefusal(`PRAGMA ${name}(t)`, 'log'), name).toBeNull();
    }
  });

  it('exactly the settings a snapshot carries may be set through the log; none through a query', () => {
    expect([...SETTABLE].sort()).toEqual([...SETTABLE_NAMES].sort());
    for (const name of SETTABLE_NAMES) {
      expect(admissionRefusal(`PRAGMA ${name} = 1`, 'log'), name).toBeNull();
      expect(admissionRefusal(`PRAGMA ${name}(1)`, 'query'), name).toEqual({ code: 'pragma-in-query', name });
    }
  });

  it('a reporting pragma set through the log changes the connection; an unknown one is unknown', () => {
    for (const name of REPORTS.filter((n) => !SETTABLE.has(n) && !DESCRIBE.includes(n))) {
      expect(admissionRefusal(`PRAGMA ${name} = 1`, 'log'), name).toEqual({ code: 'pragma', name, why: 'connection' });
    }
    expect(admissionRefusal('PRAGMA writable_schema = 1', 'log')).toEqual({ code: 'pragma', name: 'writable_schema', why: 'unknown' });
    expect(admissionRefusal('PRAGMA case_sensitive_like', 'query')).toEqual({ code: 'pragma', name: 'case_sensitive_like', why: 'unknown' });
    expect(admissionRefusal('PRAGMA', 'log')).toEqual({ code: 'pragma', name: '', why: 'unknown' });
  });

  it('every process-wide pragma is refused, read or set, on both paths', () => {
    for (const name of PROCESS) {
      for (const sql of [`PRAGMA ${name}`, `PRAGMA ${name} = 1`, `PRAGMA main.${name}(1)`]) {
        expect(admissionRefusal(sql, 'log'), sql).toEqual({ code: 'pragma', name, why: 'process' });
        expect(admissionRefusal(sql, 'query'), sql).toEqual({ code: 'pragma', name, why: 'process' });
      }
    }
  });

  it('EXPLAIN and EXPLAIN QUERY PLAN of a pragma are judged as the pragma', () => {
    expect(admissionRefusal('EXPLAIN PRAGMA threads = 2', 'log')).toEqual({ code: 'pragma', name: 'threads', why: 'process' });
    expect(admissionRefusal('EXPLAIN QUERY PLAN PRAGMA user_version = 2', 'query')).toEqual({ code: 'pragma-in-query', name: 'user_version' });
    expect(admissionRefusal('explain query plan select 1 from pragma_table_info(\'t\')', 'query')).toBeNull();
  });
});

describe('statements that reach outside the database', () => {
  it('the file name, in any spelling', () => {
    for (const sql of ['PRAGMA database_list', 'PRAGMA main.database_list', 'SELECT * FROM pragma_database_list', 'SELECT file FROM "PRAGMA_DATABASE_LIST"']) {
      expect(admissionRefusal(sql, 'query'), sql).toEqual({ code: 'file-name' });
    }
  });

  it('ATTACH, DETACH and VACUUM INTO; VACUUM alone is fine', () => {
    expect(admissionRefusal("ATTACH 'x' AS y", 'log')).toEqual({ code: 'attach' });
    expect(admissionRefusal('detach y', 'log')).toEqual({ code: 'attach' });
    expect(admissionRefusal("EXPLAIN ATTACH 'x' AS y", 'query')).toEqual({ code: 'attach' });
    expect(admissionRefusal("VACUUM INTO 'f'", 'log')).toEqual({ code: 'vacuum-into' });
    expect(admissionRefusal("vacuum main into 'f'", 'log')).toEqual({ code: 'vacuum-into' });
    expect(admissionRefusal('VACUUM', 'log')).toBeNull();
  });

  it('TEMP objects, by keyword or by the temp schema; a table named temp_x is not one', () => {
    for (const sql of ['CREATE TEMP TABLE t(v)', 'create temporary view v as select 1', 'CREATE TABLE temp.t(v)', 'CREATE INDEX "temp".i ON t(v)', 'EXPLAIN CREATE TEMP TABLE t(v)']) {
      expect(admissionRefusal(sql, 'log'), sql).toEqual({ code: 'temp' });
    }
    expect(admissionRefusal('CREATE TABLE temp_x(v)', 'log')).toBeNull();
    expect(admissionRefusal('CREATE TABLE t(temp)', 'log')).toBeNull();
    expect(admissionRefusal('SELECT * FROM temp.t', 'query')).toBeNull();
  });

  it("the connection's change counters, called as functions only", () => {
    expect(admissionRefusal('SELECT changes()', 'query')).toEqual({ code: 'connection-function', name: 'changes' });
    expect(admissionRefusal('INSERT INTO t VALUES (TOTAL_CHANGES ( ))', 'log')).toEqual({ code: 'connection-function', name: 'total_changes' });
    expect(admissionRefusal('SELECT changes FROM t', 'query')).toBeNull();
    expect(admissionRefusal('SELECT changes(1)', 'query')).toBeNull();
    expect(admissionRefusal('SELECT t.changes() FROM t', 'query')).toBeNull();
  });

  it('judges every statement of a script, not only the first', () => {
    expect(admissionRefusal('SELECT 1; PRAGMA threads = 1', 'log')).toEqual({ code: 'pragma', name: 'threads', why: 'process' });
    expect(admissionRefusal('SELECT 1; SELECT 2', 'log')).toBeNull();
  });
});

describe('nesting', () => {
  it('counts the deepest parentheses, and the longest run of unary operators', () => {
    const pad = ' '.repeat(MAX_NESTING);
    expect(nestingDepth(`SELECT ((1), (((2))))${pad}`)).toBe(4);
    expect(nestingDepth(`SELECT - - + ~ 1 - - 2${pad}`)).toBe(4);
    expect(nestingDepth(`SELECT NOT NOT not 1${pad}`)).toBe(3);
    expect(nestingDepth(`SELECT -(-(-1))${pad}`)).toBe(3);
    // Short text cannot nest past the limit: it is not even tokenized.
    expect(nestingDepth('SELECT ((1))')).toBe(0);
  });

  it('refuses past MAX_NESTING, and not at it', () => {
    const at = `SELECT ${'('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}`;
    expect(admissionRefusal(at, 'query')).toBeNull();
    const over = `SELECT ${'('.repeat(MAX_NESTING + 1)}1${')'.repeat(MAX_NESTING + 1)}`;
    expect(admissionRefusal(over, 'log')).toEqual({ code: 'nesting', depth: MAX_NESTING + 1 });
  });
});

describe('the sentences', () => {
  const cases: [SqlRefusal, string][] = [
    [{ code: 'pragma', name: 'threads', why: 'process' }, 'PRAGMA threads refused: it acts on the whole process, and every node of this simulation shares one sql.js module'],
    [{ code: 'pragma-in-query', name: 'user_version' }, "attempt to change database via query operation: PRAGMA user_version with a value changes the node's connection; send it as an execute"],
    [{ code: 'file-name' }, 'database_list refused: the database file name differs from node to node'],
    [{ code: 'attach' }, 'ATTACH and DETACH refused: an attached database lives outside the Raft log and the snapshots, and all nodes here share one in-memory file system'],
    [{ code: 'vacuum-into' }, 'VACUUM INTO refused: it writes a file outside the Raft log, in the file system all nodes here share'],
    [{ code: 'temp' }, 'TEMP objects refused: they belong to one connection and are not in snapshots, so a restored node would lack them'],
    [{ code: 'connection-function', name: 'changes' }, "changes() refused: it counts the connection's changes, which differ between a node that replayed the log and one restored from a snapshot; use the rows_affected of the result"],
    [{ code: 'nesting', depth: 1001 }, "statement refused: nested 1001 levels deep; at most 1000 (SQLite's own expression depth limit)"],
    [{ code: 'largest-rowid' }, 'statement refused: it gives a row the largest rowid, 9223372036854775807, after which SQLite picks new rowids at random, differently on each node; use smaller rowids'],
  ];

  it('says why, in one sentence per refusal', () => {
    for (const [r, text] of cases) expect(refusalText(r)).toBe(text);
  });

  it('names what may be done instead of a refused pragma', () => {
    const settable = SETTABLE_NAMES.join(', ');
    expect(refusalText({ code: 'pragma', name: 'cache_size', why: 'connection' })).toBe(
      `PRAGMA cache_size refused: it changes this node's connection, which snapshots do not carry, so nodes would apply later entries differently (settable: ${settable})`,
    );
    expect(refusalText({ code: 'pragma', name: 'x', why: 'unknown' })).toBe(
      `PRAGMA x refused: it is not known to act the same on every node (allowed: reading ${REPORTS.join(', ')}; setting ${settable})`,
    );
  });
});

describe('edges of the text rules', () => {
  it('refuses only the counters, called with nothing between the parentheses, wherever they stand', () => {
    expect(admissionRefusal('PRAGMA user_version; SELECT random()', 'log')).toBeNull();
    expect(admissionRefusal('SELECT (changes ISNULL) FROM t', 'query')).toBeNull();
    expect(admissionRefusal('SELECT changes', 'query')).toBeNull();
    expect(admissionRefusal('SELECT changes(', 'query')).toBeNull();
    expect(admissionRefusal('changes()', 'query')).toEqual({ code: 'connection-function', name: 'changes' });
  });

  it('EXPLAIN takes QUERY PLAN only as a pair', () => {
    expect(admissionRefusal('EXPLAIN PRAGMA plan', 'query')).toEqual({ code: 'pragma', name: 'plan', why: 'unknown' });
  });

  it('INTO outside VACUUM, a schema other than temp, a statement cut short: nothing to refuse', () => {
    expect(admissionRefusal("INSERT INTO t VALUES ('pragma')", 'log')).toBeNull();
    expect(admissionRefusal('CREATE TABLE main.t(v)', 'log')).toBeNull();
    expect(admissionRefusal('CREATE VIEW v AS SELECT 1 AS temp', 'log')).toBeNull();
    expect(admissionRefusal('-- temp\nCREATE', 'log')).toBeNull();
  });

  it('a long statement with nothing nested is not deep', () => {
    const flat = `SELECT ${Array.from({ length: 700 }, (_, i) => `not ${i}`).join(', ')}`;
    expect(flat.length).toBeGreaterThan(MAX_NESTING);
    expect(nestingDepth(flat)).toBe(1);
    expect(admissionRefusal(`SELECT ${Array(700).fill('1').join(', ')}`, 'log')).toBeNull();
  });
});

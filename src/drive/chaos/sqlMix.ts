/**
 * SQL beyond key–value, for the differential fuzzer and chaos mode's `--sql-mix`: column DEFAULTs,
 * triggers, views, CTEs (bounded and endless), pragmas, TEMP, ATTACH, random() and 'now' in every
 * position, transactions, the largest rowid, connection counters and statements that fail. Every
 * one must end the same on every node: applied identically, or refused identically.
 */
export const SQL_MIX_SETUP = [
  'CREATE TABLE IF NOT EXISTS mix(k INTEGER PRIMARY KEY, v, r DEFAULT (random()), b DEFAULT (randomblob(4)), at DEFAULT CURRENT_TIMESTAMP)',
  'CREATE TABLE IF NOT EXISTS mlog(n INTEGER, what TEXT)',
];

type Pick = (n: number) => number;

const TEMPLATES: ((p: Pick) => string)[] = [
  (p) => `INSERT INTO mix(v) VALUES (${p(100)})`,
  (p) => `INSERT INTO mix(k, v) VALUES (${p(50)}, 'k')`,
  () => 'INSERT INTO mix(v) VALUES (random())',
  () => 'INSERT INTO mix(v) VALUES ("random"())',
  () => 'INSERT INTO mix(v) VALUES ([random]())',
  (p) => `INSERT INTO mix(v, b) VALUES (1, randomblob(${p(3) - 1} * ${p(9)}))`,
  () => "INSERT INTO mix(v) VALUES (datetime('now', 'localtime'))",
  () => "INSERT INTO mix(v) VALUES (strftime('%s', 'now') || ':' || julianday('now'))",
  () => 'INSERT INTO mix(v) VALUES (last_insert_rowid())',
  () => 'INSERT INTO mix(v) VALUES (changes())',
  () => 'INSERT INTO mix(v) VALUES (total_changes())',
  () => 'INSERT INTO mix(k, v) VALUES (9223372036854775807, 1)',
  () => 'INSERT INTO mix(k, v) VALUES (9223372036854775806, 1), (NULL, 2)',
  (p) => `INSERT INTO mix(k, v) VALUES (${p(20)}, 1), (${p(20)}, 2)`,
  (p) => `UPDATE mix SET v = random() WHERE k % ${1 + p(4)} = 0`,
  (p) => `DELETE FROM mix WHERE k > ${p(60)}`,
  () => 'REPLACE INTO mix(k, v) VALUES (1, randomblob(2))',
  () => "CREATE TRIGGER IF NOT EXISTS mtr AFTER INSERT ON mlog BEGIN INSERT INTO mix(v) VALUES (random()); END",
  () => 'DROP TRIGGER IF EXISTS mtr',
  (p) => `INSERT INTO mlog VALUES (${p(10)}, 'x')`,
  (p) => `CREATE VIEW IF NOT EXISTS mv${p(3)} AS WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${1 + p(20)}) SELECT x FROM c`,
  () => 'CREATE VIEW IF NOT EXISTS mendless AS WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
  (p) => `INSERT INTO mlog SELECT x, 'view' FROM mv${p(3)}`,
  () => 'INSERT INTO mlog WITH RECURSIVE "c"(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM "c") SELECT x, random() FROM "c"',
  (p) => `INSERT INTO mlog WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${p(30)}) SELECT x, random() FROM c`,
  (p) => `CREATE TABLE IF NOT EXISTS mcopy${p(2)} AS SELECT random() AS r, datetime('now') AS t`,
  () => 'PRAGMA foreign_keys = ON',
  () => 'PRAGMA foreign_keys = OFF',
  () => 'PRAGMA recursive_triggers = ON',
  () => 'PRAGMA journal_mode = OFF',
  () => 'PRAGMA case_sensitive_like = 1',
  () => 'PRAGMA reverse_unordered_selects = 1',
  () => 'PRAGMA query_only = 1',
  () => 'PRAGMA hard_heap_limit = 100000',
  (p) => `PRAGMA user_version = ${p(9)}`,
  () => 'CREATE TEMP TABLE mt(a)',
  () => "ATTACH 'shared.db' AS s",
  () => 'CREATE TABLE IF NOT EXISTS s.x(a)',
  () => 'BEGIN',
  () => 'COMMIT',
  () => 'ROLLBACK',
  () => 'SAVEPOINT sp',
  () => 'RELEASE sp',
  () => 'INSERT INTO nowhere VALUES (1)',
  () => 'SELEC 1',
  () => `SELECT ${'('.repeat(1500)}1${')'.repeat(1500)}`,
  () => "SELECT count(*) FROM mix WHERE v LIKE 'K'",
];

/** One statement of the mix, chosen by `pick` (a uniform integer below n). */
export function sqlMixStatement(pick: Pick): string {
  return TEMPLATES[pick(TEMPLATES.length)]((n) => pick(Math.max(1, n)));
}

/** Reads that must not change their node, with random() and 'now' in them. */
export const SQL_MIX_QUERIES = [
  "SELECT count(*), total(v), datetime('now'), random() FROM mix",
  'PRAGMA query_only(1)',
  'PRAGMA case_sensitive_like(1)',
  'SELECT * FROM pragma_database_list',
  "SELECT datetime('now', 'localtime')",
];

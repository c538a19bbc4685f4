import { statementTokens } from './statements';
import { significant, tokenize, type Token } from './tokenizer';

/**
 * Which SQL may reach the log or the read path. Every node runs the same committed text against its
 * own connection, so anything that reads or changes the connection rather than the database (a
 * session pragma, a TEMP table, an attached file, the process's memory limits) would make nodes,
 * or one node before and after a snapshot, apply the same entry differently. Such statements are
 * refused with a typed reason, the same way on every node; the sentence is `refusalText`'s.
 */
export type SqlRefusal =
  /** A pragma that changes the connection or the process; `why` says which. */
  | { readonly code: 'pragma'; readonly name: string; readonly why: 'process' | 'connection' | 'unknown' }
  /** A query that would change a setting (`PRAGMA x(1)`): a query must not change its node. */
  | { readonly code: 'pragma-in-query'; readonly name: string }
  /** The file name is per node (sql.js picks it at random). */
  | { readonly code: 'file-name' }
  | { readonly code: 'attach' }
  | { readonly code: 'vacuum-into' }
  | { readonly code: 'temp' }
  /** changes() / total_changes(): counters of the connection, which a snapshot does not carry. */
  | { readonly code: 'connection-function'; readonly name: string }
  | { readonly code: 'nesting'; readonly depth: number }
  /** A row would take rowid 2^63-1, after which SQLite picks rowids at random. */
  | { readonly code: 'largest-rowid' };

export type SqlPath = 'log' | 'query';

/** SQLite's own limit on expression depth (SQLITE_MAX_EXPR_DEPTH). */
export const MAX_NESTING = 1000;

/** Pragmas that only report (no value given, or a table/index name to describe): allowed anywhere. */
const REPORTS = new Set([
  'application_id', 'auto_vacuum', 'automatic_index', 'cache_size', 'collation_list', 'compile_options', 'data_version', 'defer_foreign_keys',
  'encoding', 'foreign_key_check', 'foreign_key_list', 'foreign_keys', 'freelist_count', 'function_list', 'ignore_check_constraints',
  'index_info', 'index_list', 'index_xinfo', 'integrity_check', 'journal_mode', 'legacy_alter_table', 'locking_mode', 'max_page_count',
  'module_list', 'page_count', 'page_size', 'pragma_list', 'query_only', 'quick_check', 'recursive_triggers', 'reverse_unordered_selects',
  'schema_version', 'secure_delete', 'synchronous', 'table_info', 'table_list', 'table_xinfo', 'temp_store', 'user_version',
]);
/** Pragmas whose argument names what to describe, not a new value. */
const DESCRIBE = new Set(['foreign_key_check', 'foreign_key_list', 'index_info', 'index_list', 'index_xinfo', 'integrity_check', 'quick_check', 'table_info', 'table_list', 'table_xinfo']);
/** Settings a committed entry may change: stored in the file, or carried by snapshots (settings.ts). */
export const SETTABLE = new Set([
  'application_id', 'user_version',
  'foreign_keys', 'recursive_triggers', 'reverse_unordered_selects', 'ignore_check_constraints', 'legacy_alter_table', 'automatic_index', 'defer_foreign_keys', 'max_page_count',
]);
/** Pragmas that act on the whole process: every node shares one sql.js module. */
const PROCESS = new Set(['hard_heap_limit', 'soft_heap_limit', 'threads', 'shrink_memory', 'mmap_size', 'temp_store_directory', 'data_store_directory']);
const CONNECTION_FUNCTIONS = new Set(['changes', 'total_changes']);
const MAYBE = /pragma|attach|detach|temp|vacuum|changes|database_list/i;

const unquote = (t: Token) => (t.kind === 'quoted' ? t.text.slice(1, -1) : t.text).toLowerCase();
const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');

/** Why `sql` may not run on `path`, or null. Text only: the same answer on every node. */
export function admissionRefusal(sql: string, path: SqlPath): SqlRefusal | null {
  const nesting = nestingDepth(sql);
  if (nesting > MAX_NESTING) return { code: 'nesting', depth: nesting };
  if (!MAYBE.test(sql)) return null;
  const toks = significant(tokenize(sql));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!isName(t)) continue;
    const name = unquote(t);
    if (name === 'pragma_database_list') return { code: 'file-name' };
    if (CONNECTION_FUNCTIONS.has(name) && toks[i + 1]?.text === '(' && toks[i + 2]?.text === ')' && toks[i - 1]?.text !== '.') {
      return { code: 'connection-function', name };
    }
  }
  for (const stmt of statementTokens(toks)) {
    const r = statementRefusal(stmt, path);
    if (r) return r;
  }
  return null;
}

function statementRefusal(toks: Token[], path: SqlPath): SqlRefusal | null {
  let k = 0;
  const word = (i: number) => (toks[i]?.kind === 'word' ? toks[i].text.toLowerCase() : '');
  if (word(k) === 'explain') {
    k++;
    if (word(k) === 'query' && word(k + 1) === 'plan') k += 2;
  }
  const first = word(k);
  if (first === 'attach' || first === 'detach') return { code: 'attach' };
  if (first === 'vacuum' && toks.slice(k).some((t) => t.kind === 'word' && t.text.toLowerCase() === 'into')) return { code: 'vacuum-into' };
  if (first === 'create') {
    if (word(k + 1) === 'temp' || word(k + 1) === 'temporary') return { code: 'temp' };
    for (let i = k; i + 1 < toks.length; i++) if (isName(toks[i]) && unquote(toks[i]) === 'temp' && toks[i + 1].text === '.') return { code: 'temp' };
  }
  if (first === 'pragma') return pragmaRefusal(toks.slice(k + 1), path);
  return null;
}

function pragmaRefusal(toks: Token[], path: SqlPath): SqlRefusal | null {
  let i = 0;
  if (toks[1]?.text === '.') i = 2; // schema.name
  const name = toks[i] ? unquote(toks[i]) : '';
  const hasValue = toks.length > i + 1;
  if (name === 'database_list') return { code: 'file-name' };
  if (PROCESS.has(name)) return { code: 'pragma', name, why: 'process' };
  if (!hasValue) return REPORTS.has(name) ? null : { code: 'pragma', name, why: 'unknown' };
  if (DESCRIBE.has(name)) return null;
  if (path === 'query') return { code: 'pragma-in-query', name };
  if (SETTABLE.has(name)) return null;
  return { code: 'pragma', name, why: REPORTS.has(name) ? 'connection' : 'unknown' };
}

/** The deepest parenthesis nesting, or the longest run of unary operators, in the text. */
export function nestingDepth(sql: string): number {
  if (sql.length < MAX_NESTING) return 0;
  let depth = 0;
  let max = 0;
  let run = 0;
  for (const t of significant(tokenize(sql))) {
    if (t.text === '(') max = Math.max(max, ++depth);
    else if (t.text === ')') depth--;
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) max = Math.max(max, ++run);
    else if (t.kind === 'word' && t.text.toLowerCase() === 'not') max = Math.max(max, ++run);
    else if (t.text !== '(') run = 0;
  }
  return max;
}

export function refusalText(r: SqlRefusal): string {
  switch (r.code) {
    case 'pragma':
      if (r.why === 'process') {
        return `PRAGMA ${r.name} refused: it acts on the whole process, and every node of this simulation shares one sql.js module`;
      }
      if (r.why === 'connection') {
        return `PRAGMA ${r.name} refused: it changes this node's connection, which snapshots do not carry, so nodes would apply later entries differently (settable: ${[...SETTABLE].join(', ')})`;
      }
      return `PRAGMA ${r.name} refused: it is not known to act the same on every node (allowed: reading ${[...REPORTS].join(', ')}; setting ${[...SETTABLE].join(', ')})`;
    case 'pragma-in-query':
      return `attempt to change database via query operation: PRAGMA ${r.name} with a value changes the node's connection; send it as an execute`;
    case 'file-name':
      return 'database_list refused: the database file name differs from node to node';
    case 'attach':
      return 'ATTACH and DETACH refused: an attached database lives outside the Raft log and the snapshots, and all nodes here share one in-memory file system';
    case 'vacuum-into':
      return 'VACUUM INTO refused: it writes a file outside the Raft log, in the file system all nodes here share';
    case 'temp':
      return 'TEMP objects refused: they belong to one connection and are not in snapshots, so a restored node would lack them';
    case 'connection-function':
      return `${r.name}() refused: it counts the connection's changes, which differ between a node that replayed the log and one restored from a snapshot; use the rows_affected of the result`;
    case 'nesting':
      return `statement refused: nested ${r.depth} levels deep; at most ${MAX_NESTING} (SQLite's own expression depth limit)`;
    case 'largest-rowid':
      return 'statement refused: it gives a row the largest rowid, 9223372036854775807, after which SQLite picks new rowids at random, differently on each node; use smaller rowids';
  }
}

import type { Database, SqlJsStatic } from 'sql.js';
import { activeEnvironment } from './clock';
import { RandomSource } from './random';
import { MAX_RANDOMBLOB_BYTES } from './size';

/** The parts of the sql.js module (Emscripten's exports) that sql.js's typings leave out. */
interface SqlJsModule {
  addFunction(fn: (ctx: number, argc: number, argv: number) => void, signature: string): number;
  stringToNewUTF8(s: string): number;
  _free(ptr: number): void;
  _sqlite3_create_function_v2(db: number, name: number, nArg: number, flags: number, app: number, fn: number, step: number, final: number, destroy: number): number;
  _sqlite3_result_int64(ctx: number, value: bigint): void;
}

const SQLITE_UTF8 = 1;
/** Outside a command or a query (the table browser, a hash): a fixed source, still the same everywhere. */
const IDLE = new RandomSource(0);
const randomPointers = new WeakMap<SqlJsStatic, number>();

function source(): RandomSource {
  return activeEnvironment()?.random ?? IDLE;
}

function connection(db: Database): number {
  return (db as unknown as { db: number }).db;
}

/**
 * Replace SQLite's random() and randomblob() on this connection with ones drawing from the running
 * command's seeded source. SQLite's own draw from one process-wide generator that every node shares,
 * so without this the same committed entry gives each node different values whenever the leader's
 * rewrite cannot see the call (a column DEFAULT, a trigger, `"random"()`, `randomblob(n * 2)`).
 * sql.js's create_function returns JS numbers as REAL, so random() is registered through the C API
 * to return a 64-bit integer as SQLite's does. Call again after the connection is reopened.
 */
export function installFunctions(SQL: SqlJsStatic, db: Database): void {
  const m = SQL as unknown as SqlJsModule;
  let fn = randomPointers.get(SQL);
  if (fn === undefined) {
    fn = m.addFunction((ctx) => m._sqlite3_result_int64(ctx, source().int64()), 'viii');
    randomPointers.set(SQL, fn);
  }
  const name = m.stringToNewUTF8('random');
  try {
    m._sqlite3_create_function_v2(connection(db), name, 0, SQLITE_UTF8, 0, fn, 0, 0, 0);
  } finally {
    m._free(name);
  }
  db.create_function('randomblob', (n: unknown) => {
    const size = Math.max(1, Math.trunc(Number(n) || 0));
    if (size > MAX_RANDOMBLOB_BYTES) {
      throw new Error(`randomblob(${size}) refused: it would build a value of ${size} bytes; at most 1 MB (${MAX_RANDOMBLOB_BYTES} bytes). Use a smaller size.`);
    }
    return source().bytes(size);
  });
}

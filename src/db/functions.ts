import type { Database, SqlJsStatic } from 'sql.js';
import { activeEnvironment } from './clock';
import { RandomSource } from './random';
import { MAX_RANDOMBLOB_BYTES } from './size';
import { memoryOf } from './wasmMemory';

/** The parts of the sql.js module (Emscripten's exports) that sql.js's typings leave out. */
interface SqlJsModule {
  addFunction(fn: (ctx: number, argc: number, argv: number) => void, signature: string): number;
  stringToNewUTF8(s: string): number;
  UTF8ToString(ptr: number, maxBytes?: number, ignoreNul?: boolean): string;
  writeArrayToMemory(array: Uint8Array, ptr: number): void;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _sqlite3_create_function_v2(db: number, name: number, nArg: number, flags: number, app: number, fn: number, step: number, final: number, destroy: number): number;
  _sqlite3_result_int64(ctx: number, value: bigint): void;
  _sqlite3_result_blob(ctx: number, ptr: number, n: number, destructor: number): void;
  _sqlite3_result_error(ctx: number, message: number, n: number): void;
  _sqlite3_value_type(value: number): number;
  _sqlite3_value_double(value: number): number;
  _sqlite3_value_bytes(value: number): number;
  _sqlite3_value_text(value: number): number;
  _sqlite3_value_blob(value: number): number;
}

const SQLITE_UTF8 = 1;
/** Outside a command or a query (the table browser, a hash): a fixed source, still the same everywhere. */
const IDLE = new RandomSource(0);
const randomPointers = new WeakMap<SqlJsStatic, number>();
const randomblobPointers = new WeakMap<SqlJsStatic, number>();
/** SQLITE_TRANSIENT: SQLite copies the result before the call returns. */
const TRANSIENT = -1;

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
 * `shared` false: randomblob through sql.js's create_function even where one function could serve.
 */
export function installFunctions(SQL: SqlJsStatic, db: Database, shared = true): void {
  const m = SQL as unknown as SqlJsModule;
  let fn = randomPointers.get(SQL);
  if (fn === undefined) {
    fn = m.addFunction((ctx) => m._sqlite3_result_int64(ctx, source().int64()), 'viii');
    randomPointers.set(SQL, fn);
  }
  register(m, db, 'random', 0, fn);
  const blob = shared ? randomblobPointer(SQL) : null;
  if (blob !== null) register(m, db, 'randomblob', 1, blob);
  else db.create_function('randomblob', randomblob);
}

function register(m: SqlJsModule, db: Database, fnName: string, nArg: number, fn: number): void {
  const name = m.stringToNewUTF8(fnName);
  try {
    m._sqlite3_create_function_v2(connection(db), name, nArg, SQLITE_UTF8, 0, fn, 0, 0, 0);
  } finally {
    m._free(name);
  }
}

/** randomblob(n), `n` as sql.js hands a JS function its argument: the size read from it, at least 1 byte, at most 1 MB. */
function randomblob(n: unknown): Uint8Array {
  const size = Math.max(1, Math.trunc(Number(n) || 0));
  if (size > MAX_RANDOMBLOB_BYTES) {
    throw new Error(`randomblob(${size}) refused: it would build a value of ${size} bytes; at most 1 MB (${MAX_RANDOMBLOB_BYTES} bytes). Use a smaller size.`);
  }
  return source().bytes(size);
}

/**
 * randomblob as one C-level function for every connection of `SQL`, where its memory is known
 * (wasmMemory.ts): db.create_function wraps a new function for each connection, which in Chrome
 * compiles a small wasm module, about a third of opening a database there. It does what sql.js's
 * wrapper does: the argument converted as sql.js converts it, the result or the error handed back
 * the same way (test/db/randomblob-paths.test.ts runs both).
 */
function randomblobPointer(SQL: SqlJsStatic): number | null {
  const known = randomblobPointers.get(SQL);
  if (known !== undefined) return known;
  const memory = memoryOf(SQL);
  if (!memory) return null;
  const m = SQL as unknown as SqlJsModule;
  const fn = m.addFunction((ctx, _argc, argv) => {
    let out: Uint8Array;
    try {
      out = randomblob(argument(m, memory, new DataView(memory.buffer).getUint32(argv, true)));
    } catch (e) {
      const message = m.stringToNewUTF8(e instanceof Error ? e.message : String(e));
      m._sqlite3_result_error(ctx, message, -1);
      m._free(message);
      return;
    }
    const ptr = m._malloc(out.length);
    m.writeArrayToMemory(out, ptr);
    m._sqlite3_result_blob(ctx, ptr, out.length, TRANSIENT);
    m._free(ptr);
  }, 'viii');
  randomblobPointers.set(SQL, fn);
  return fn;
}

/** A SQL value as sql.js gives it to a JS function: a number, a string, a Uint8Array or null. */
function argument(m: SqlJsModule, memory: WebAssembly.Memory, value: number): unknown {
  switch (m._sqlite3_value_type(value)) {
    case 1: // SQLITE_INTEGER
    case 2: // SQLITE_FLOAT
      return m._sqlite3_value_double(value);
    case 3: {
      // SQLITE_TEXT: its bytes, NULs and all.
      const n = m._sqlite3_value_bytes(value);
      return m.UTF8ToString(m._sqlite3_value_text(value), n, true);
    }
    case 4: {
      // SQLITE_BLOB (its length read first, as sql.js does).
      const n = m._sqlite3_value_bytes(value);
      const ptr = m._sqlite3_value_blob(value);
      return new Uint8Array(memory.buffer, ptr, n).slice();
    }
    default:
      return null;
  }
}

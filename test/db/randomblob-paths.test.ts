/**
 * randomblob() has two implementations: one C-level function shared by every connection, used where
 * sql.js's wasm memory is known (loadSqlJs catches it, in the page and in Node), and sql.js's
 * create_function, one wrapper per connection, otherwise. They must agree on every argument SQL can
 * give: the size read the same way from numbers, text, blobs and NULL, the same bytes, the same
 * refusal, the same error for a wrong number of arguments.
 */
import type { SqlJsStatic, SqlValue } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEnvironment } from '../../src/db/clock';
import { installFunctions } from '../../src/db/functions';
import { RandomSource } from '../../src/db/random';
import { MAX_RANDOMBLOB_BYTES } from '../../src/db/size';
import { loadSqlJs } from '../../src/db/sqljs';
import { memoryOf } from '../../src/db/wasmMemory';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** hex and length of randomblob(size) on a connection with the shared function or the wrapped one, or the error. */
function run(shared: boolean, size: string, params?: SqlValue[]): unknown {
  const db = new SQL.Database();
  installFunctions(SQL, db, shared);
  try {
    return withEnvironment({ ts: 0, random: new RandomSource(7) }, () => {
      const st = db.prepare(`SELECT hex(b), length(b) FROM (SELECT randomblob(${size}) AS b)`);
      try {
        if (params) st.bind(params);
        st.step();
        return st.get();
      } finally {
        st.free();
      }
    });
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

describe('randomblob(), shared and wrapped', () => {
  it('the loader knows the memory of the module it loaded: the shared function is the one in use', () => {
    expect(memoryOf(SQL)).toBeInstanceOf(WebAssembly.Memory);
  });

  const sizes = [
    '3', '0', '-5', '2.9', '0.5', '1e300', '-1e300', 'NULL',
    "'4'", "'abc'", "''", "' 6 '", "'7x'", 'char(53, 0, 54)', "'é'",
    "x''", "x'05'", "x'c8'", "x'0506'", "x'35'",
    String(MAX_RANDOMBLOB_BYTES), String(MAX_RANDOMBLOB_BYTES + 1), `'${MAX_RANDOMBLOB_BYTES + 1}'`,
    '', '1, 2',
  ];
  for (const size of sizes) {
    it(`agree on randomblob(${size.length > 20 ? size.slice(0, 20) + '…' : size})`, () => {
      const a = run(true, size);
      expect(a).toEqual(run(false, size));
      expect(a).not.toBeUndefined();
    });
  }

  it('agree on a bound size of every kind', () => {
    for (const p of [5, 2.5, '8', 'no', null, new Uint8Array([9]), new Uint8Array([200]), new Uint8Array([1, 2]), new Uint8Array([])] as SqlValue[]) {
      expect(run(true, '?', [p]), String(p)).toEqual(run(false, '?', [p]));
    }
  });

  it('give the source’s bytes, and the 1 MB refusal in words', () => {
    expect(run(true, '4')).toEqual([Buffer.from(new RandomSource(7).bytes(4)).toString('hex').toUpperCase(), 4]);
    expect(run(true, String(MAX_RANDOMBLOB_BYTES + 1))).toMatch(/^randomblob\(1048577\) refused/);
    expect(run(true, '')).toMatch(/wrong number of arguments/);
  });
});

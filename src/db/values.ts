import type { Statement as SqlJsStatement } from 'sql.js';
import type { SqlValue } from './types';

/**
 * SQLite integers are 64-bit; a JavaScript number holds 53 bits exactly. So every value leaves the
 * database in one representation: an INTEGER within ±(2^53 − 1) is a number, any other INTEGER a
 * bigint (exact), a REAL a number. Answers, tables, hashes and JSON all see the same values.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer in the representation above, from SQLite's decimal text or a bigint. */
export function exactInteger(v: bigint | string): number | bigint {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  return b >= -MAX_SAFE && b <= MAX_SAFE ? Number(b) : b;
}

/** A number that may be a rounded 64-bit INTEGER (or a REAL that only looks like one). */
function maybeRounded(v: SqlValue): boolean {
  return typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v);
}

// @types/sql.js leaves out get()'s second argument (sql.js ≥ 1.10): INTEGER columns as BigInt.
type GetWithConfig = (this: SqlJsStatement, params: null, config: { useBigInt: boolean }) => SqlValue[];

/**
 * The current row of a stepped statement. sql.js reads INTEGERs as doubles; only a row with a
 * value that may have been rounded is read again with BigInt, so the common row costs nothing more.
 */
export function readRow(stmt: SqlJsStatement): SqlValue[] {
  const row = stmt.get() as SqlValue[];
  if (!row.some(maybeRounded)) return row;
  const exact = (stmt.get as unknown as GetWithConfig).call(stmt, null, { useBigInt: true });
  return row.map((v, i) => {
    const e = exact[i];
    return typeof e === 'bigint' ? exactInteger(e) : v;
  });
}

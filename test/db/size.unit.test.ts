/**
 * Edges of the value-size guard (size.ts) that sql-text.unit.test.ts leaves open: printf's
 * multi-digit widths and precisions, which argument each `*` takes, arguments holding commas, and
 * the constant folder's depth limit.
 */
import { describe, expect, it } from 'vitest';
import { builtValues, constant } from '../../src/db/size';
import { significant, tokenize } from '../../src/db/tokenizer';

const bytes = (sql: string) => builtValues(sql).map((v) => v.bytes);
const c = (sql: string) => constant(significant(tokenize(sql)));

describe('printf', () => {
  it('reads widths and precisions of several digits', () => {
    expect(bytes("SELECT printf('%15d', 1)")).toEqual([15]);
    expect(bytes("SELECT printf('%.15c', 'x')")).toEqual([15]);
  });

  it('gives each * the argument after those the conversions before it took (%% takes none)', () => {
    expect(bytes("SELECT printf('%d%*d', 1, 20, 2)")).toEqual([1 + 20]);
    expect(bytes("SELECT printf('%%%*d', 20, 1)")).toEqual([1 + 20]);
    expect(bytes("SELECT printf('%*.*c', 3, 25, 'x')")).toEqual([25]);
    // A comma inside a call is not between printf's arguments.
    expect(bytes("SELECT printf('%s%*d', max(1, 2), 30, 1)")).toEqual([1 + 30]);
  });

  it('only printf and format are measured as printf, and an empty call is nothing', () => {
    expect(bytes("SELECT upper('%.200000000c') AS blob")).toEqual([]);
    expect(bytes('SELECT printf()')).toEqual([]);
    expect(bytes('zeroblob(20)')).toEqual([20]);
  });

  it('a column named like a function is no call', () => {
    expect(bytes('UPDATE t SET zeroblob = 20000000')).toEqual([]);
    expect(bytes('SELECT t.zeroblob(20000000) FROM t')).toEqual([]);
  });
});

describe('the constant folder', () => {
  it('folds up to 99 parentheses deep, and gives up at 100', () => {
    expect(c(`${'('.repeat(99)}1${')'.repeat(99)}`)).toBe(1);
    expect(c(`${'('.repeat(100)}1${')'.repeat(100)}`)).toBeNull();
  });

  it('counts depth, not length: long flat sums fold', () => {
    expect(c(Array(150).fill('1').join(' + '))).toBe(150);
    expect(c(Array(80).fill('-1').join(' + '))).toBe(-80);
    expect(c(Array(80).fill('(1)').join(' + '))).toBe(80);
  });

  it('an unknown term makes the whole sum unknown, first or not', () => {
    expect(c('x + 1')).toBeNull();
    expect(c('x - 1')).toBeNull();
  });
});

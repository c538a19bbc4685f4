/**
 * toJson (json.ts) beyond plain JSON values: what JSON.stringify does with undefined, functions,
 * toJSON (a Date), boxed primitives and nesting at every indent, and the `replace` hook the run
 * files use. For any value without a bigint the text must be JSON.stringify's, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { toJson } from '../../src/db/json';

const ODD: unknown[] = [
  undefined,
  () => 1,
  { a: undefined, b: () => 1, c: 1 },
  [undefined, () => 1, 2],
  { d: new Date(Date.UTC(2026, 0, 2)) },
  [Object(1) as unknown, Object('s') as unknown, Object(false) as unknown],
  { toJSON: () => ({ x: [1, { y: 2 }] }) },
  { nested: { deeper: [[], {}, [[1]], { e: [] }] } },
  [],
  {},
  'text',
  null,
];

describe('toJson', () => {
  it('writes what JSON.stringify writes, at every indent', () => {
    for (const v of ODD) {
      for (const space of [0, 1, 2, 4]) expect(toJson(v, space)).toBe(JSON.stringify(v, null, space) ?? 'undefined');
    }
  });

  it('passes every value through replace before writing it, bigints included', () => {
    const replace = (v: unknown) => (typeof v === 'number' ? v * 10 : typeof v === 'bigint' ? 'big' : v);
    expect(toJson({ a: 1, b: [2, 3n], c: 'x' }, 0, replace)).toBe('{"a":10,"b":[20,"big"],"c":"x"}');
    // replace sees what toJSON returned, and may drop a value.
    const drop = (v: unknown) => (v === 'secret' ? undefined : v);
    expect(toJson({ k: 'secret', d: { toJSON: () => 'secret' }, l: ['secret'] }, 0, drop)).toBe('{"l":[null]}');
  });

  it('indents bigints like any number', () => {
    expect(toJson({ a: [2n ** 64n, { b: -1n }] }, 2)).toBe('{\n  "a": [\n    18446744073709551616,\n    {\n      "b": -1\n    }\n  ]\n}');
  });
});

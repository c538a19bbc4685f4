/**
 * Tokenizer edges (tokenizer.ts) found by mutation testing: a comment that opens right after a `*`,
 * and a parameter that ends the text. Every splitter and rewriter reads these tokens' offsets.
 */
import { describe, expect, it } from 'vitest';
import { significant, tokenize } from '../../src/db/tokenizer';

describe('tokenizer edges', () => {
  it('a block comment right after `*` starts at its own `/*`, not at the `*/` the two characters spell', () => {
    expect(significant(tokenize('SELECT 2*/* times */3')).map((t) => t.text)).toEqual(['SELECT', '2', '*', '3']);
    expect(significant(tokenize('SELECT 2 */* c */ 3')).map((t) => t.text)).toEqual(['SELECT', '2', '*', '3']);
  });

  it('the tokens tile the text exactly, a parameter or word at its end included', () => {
    for (const sql of ['SELECT :a', 'SELECT ?12', 'SELECT @v', 'SELECT $x', 'SELECT a', 'SELECT 1', "SELECT 'x'", 'SELECT 1 -- c']) {
      const toks = tokenize(sql);
      expect(toks.map((t) => t.text).join(''), sql).toBe(sql);
      toks.forEach((t, k) => expect(t.start, sql).toBe(k === 0 ? 0 : toks[k - 1].end));
      expect(toks.at(-1)!.end, sql).toBe(sql.length);
    }
  });
});

/**
 * Tokenizer edges (tokenizer.ts) found by mutation testing: a comment that opens right after a `*`,
 * a parameter that ends the text, letters past ASCII inside a name, U+007F, a long exponent. Every
 * splitter and rewriter reads these tokens and their offsets.
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

  it('reads a letter past ASCII inside a name as part of it, and U+007F (DEL) as no letter, as SQLite does', () => {
    const kinds = (sql: string) => significant(tokenize(sql)).map((t) => `${t.kind}:${t.text}`);
    expect(kinds('SELECT café, naïve2')).toEqual(['word:SELECT', 'word:café', 'op:,', 'word:naïve2']);
    expect(kinds('a\u007fb \u007fc')).toEqual(['word:a', 'op:\u007f', 'word:b', 'op:\u007f', 'word:c']);
  });

  it('reads an exponent of several digits whole', () => {
    expect(significant(tokenize('SELECT 1e10, 2E-12')).map((t) => t.text)).toEqual(['SELECT', '1e10', ',', '2E-12']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { defaultSimOptions, type Input } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';
import LZString from 'lz-string';
import { CHUNK_INPUTS, fnv1a as fnv, joinParts, sessionParts } from '../../src/store/sessionChunks';

/** A stored chunk's JSON: a full chunk is compressed behind a marker. */
const unpack = (text: string) => (text.startsWith('\u0001') ? LZString.decompressFromUTF16(text.slice(1)) : text);

const request = (k: number): Input => ({
  frame: k * 3,
  time: k * 30,
  action: {
    kind: 'request',
    id: k,
    node: 'n1',
    body: {
      op: 'execute',
      req: {
        statements: [{ sql: `INSERT INTO t VALUES (${k}, 'v "${k}"')` }],
        transaction: false,
        queue: false,
        timeout: 5000,
      },
    },
  },
});

const run = (inputs: readonly Input[]): RunRecord => ({
  options: { ...defaultSimOptions, seed: 11 },
  inputs,
  frame: 900,
  time: 9000,
  head: 9100,
});

/** A storage of the parts, as writeSession leaves it. */
const stored = (parts: { chunks: readonly string[] }) => (k: number) => parts.chunks[k] ?? null;

describe('the saved session in chunks', () => {
  it('joins back into the run, as inputs are added across chunk boundaries', () => {
    const inputs: Input[] = [];
    for (let n = 0; n <= 3 * CHUNK_INPUTS + 7; n += 61) {
      while (inputs.length < n) inputs.push(request(inputs.length + 1));
      const parts = sessionParts(run(inputs));
      expect(parts.chunks.length).toBe(Math.ceil(n / CHUNK_INPUTS));
      const text = joinParts(parts.head, stored(parts));
      expect(text).not.toBeNull();
      const res = parseRun(text!, 'the session');
      expect(res.ok && res.run).toEqual(
        parseRun(JSON.stringify(toRunFile(run(inputs))), 'the run').ok && run(inputs),
      );
    }
  });

  it('gives back a full chunk as the same string, so only the last one is written again', () => {
    const inputs = Array.from({ length: 2 * CHUNK_INPUTS + 10 }, (_, k) => request(k + 1));
    const before = sessionParts(run(inputs));
    inputs.push(request(inputs.length + 1));
    const after = sessionParts(run(inputs));
    expect(after.chunks[0]).toBe(before.chunks[0]);
    expect(after.chunks[1]).toBe(before.chunks[1]);
    expect(after.chunks[2]).not.toBe(before.chunks[2]);
    // A chunk that was partial and has filled up is made again, not kept short.
    while (inputs.length < 3 * CHUNK_INPUTS) inputs.push(request(inputs.length + 1));
    const filled = sessionParts(run(inputs));
    expect(JSON.parse(`[${unpack(filled.chunks[2])}]`)).toHaveLength(CHUNK_INPUTS);
    // A fork is a new, shorter array: its chunks are its own.
    const fork = inputs.slice(0, CHUNK_INPUTS + (2 * CHUNK_INPUTS) / 5);
    const forked = sessionParts(run(fork));
    expect(forked.chunks).toHaveLength(2);
    expect(JSON.parse(`[${forked.chunks[1]}]`)).toEqual(fork.slice(CHUNK_INPUTS));
  });

  it('stores full chunks compressed (the last one, still growing, as it is) and reads them back', () => {
    const inputs = Array.from({ length: 2 * CHUNK_INPUTS + 10 }, (_, k) => request(k + 1));
    const parts = sessionParts(run(inputs));
    const plain = (k: number) => inputs.slice(k * CHUNK_INPUTS, (k + 1) * CHUNK_INPUTS).map((i) => JSON.stringify(i)).join(',');
    for (const k of [0, 1]) {
      expect(parts.chunks[k].startsWith('\u0001')).toBe(true);
      expect(parts.chunks[k].length * 5).toBeLessThan(plain(k).length);
      expect(unpack(parts.chunks[k])).toBe(plain(k));
    }
    expect(parts.chunks[2]).toBe(plain(2));
    expect(JSON.parse(joinParts(parts.head, (k) => parts.chunks[k])!)).toEqual(JSON.parse(JSON.stringify(toRunFile(run(inputs)))));
    // A session saved before chunks were compressed (every chunk as it is) still reads back.
    const old = JSON.stringify({ ...JSON.parse(parts.head), chunks: [0, 1, 2].map((k) => fnv(plain(k))) });
    expect(JSON.parse(joinParts(old, plain)!).inputs).toHaveLength(inputs.length);
  });

  it('refuses a chunk that is missing or is not the one the head was written with', () => {
    const inputs = Array.from({ length: CHUNK_INPUTS + 20 }, (_, k) => request(k + 1));
    const parts = sessionParts(run(inputs));
    const other = sessionParts(run(inputs.slice(0, CHUNK_INPUTS).concat([request(999)])));
    expect(joinParts(parts.head, (k) => (k === 1 ? null : parts.chunks[k]))).toBeNull();
    expect(joinParts(parts.head, (k) => (k === 1 ? other.chunks[1] : parts.chunks[k]))).toBeNull();
  });

  it('reads a whole run saved by an earlier version as it is', () => {
    const whole = JSON.stringify(toRunFile(run([request(1), request(2)])));
    expect(joinParts(whole, () => null)).toBe(whole);
    expect(joinParts('{"chunks":', () => null)).toBe('{"chunks":');
  });
});

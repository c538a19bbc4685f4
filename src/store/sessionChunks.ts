import LZString from 'lz-string';
import { toRunFile } from '../replay/runFile';
import type { RunRecord } from '../replay/types';

/**
 * The saved session in pieces: the run's inputs in chunks of CHUNK_INPUTS, each its own storage
 * item, and a small head (the run without its inputs, and a checksum per chunk). A class writing
 * into a long session (20,000 requests, about 3.5 MB of JSON) changes only the last chunk, so a save
 * writes that and the head: storing the whole text each second was a task of 10–20 ms a second.
 */
export const CHUNK_INPUTS = 100;

/**
 * A full chunk is stored compressed (LZString's UTF-16 form, about 9 times fewer characters for a
 * class's INSERTs), marked by this first character, which no JSON text starts with; the last chunk,
 * still growing, is stored as it is. localStorage holds about five million characters an origin:
 * a 9-node class writing 50 times a second filled it in under ten simulated minutes, and could no
 * longer be saved. Compressing a full chunk costs about 10 ms, once (every 2 s at that rate): chunks
 * of 500 compressed 15 times but took 20–45 ms, a long task in the idle-time save while playing.
 */
const PACKED = '\u0001';

interface Head {
  /** The chunks' FNV-1a checksums, in order: a chunk another tab overwrote since is caught on load. */
  chunks: number[];
  /** How many inputs the chunks hold together. */
  count: number;
}

let cache: { inputs: readonly unknown[]; count: number; texts: string[]; sums: number[] } | null = null;

/** The FNV-1a checksum a head keeps of each chunk as stored. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function chunkText(inputs: readonly unknown[], k: number): string {
  return inputs
    .slice(k * CHUNK_INPUTS, (k + 1) * CHUNK_INPUTS)
    .map((i) => JSON.stringify(i))
    .join(',');
}

/**
 * The session's head and chunk texts. A run's inputs only grow (a fork or a new cluster makes a new
 * array), so a full chunk is turned into JSON once, and the same string is given back after: a
 * writer compares strings by identity to know which chunks changed.
 */
export function sessionParts(run: RunRecord): { head: string; chunks: readonly string[] } {
  const { inputs } = run;
  const n = Math.ceil(inputs.length / CHUNK_INPUTS);
  if (!cache || cache.inputs !== inputs || cache.count > inputs.length)
    cache = { inputs, count: 0, texts: [], sums: [] };
  // Chunks that were full when last made are final; from the one that was not, they are made again.
  for (let k = Math.floor(cache.count / CHUNK_INPUTS); k < n; k++) {
    const plain = chunkText(inputs, k);
    const full = (k + 1) * CHUNK_INPUTS <= inputs.length;
    const fresh = full ? PACKED + LZString.compressToUTF16(plain) : plain;
    // Unchanged text keeps its string object: only what changed is written.
    if (cache.texts[k] !== fresh) {
      cache.texts[k] = fresh;
      cache.sums[k] = fnv1a(fresh);
    }
  }
  cache.count = inputs.length;
  const head: Head & Record<string, unknown> = {
    ...toRunFile(run),
    inputs: [],
    chunks: cache.sums.slice(),
    count: inputs.length,
  };
  return { head: JSON.stringify(head), chunks: cache.texts.slice() };
}

/**
 * The run's text from a stored head and its chunks (`read(k)` gives chunk k, or null), for parseRun;
 * a head without chunks is a whole run saved by an earlier version and is given back as it is.
 * Null when a chunk is missing or is not the one the head was written with.
 */
export function joinParts(headText: string, read: (k: number) => string | null): string | null {
  let head: unknown;
  try {
    head = JSON.parse(headText);
  } catch {
    return headText;
  }
  if (!head || typeof head !== 'object' || !('chunks' in head)) return headText;
  const { chunks, count, ...run } = head as Head & Record<string, unknown>;
  if (!Array.isArray(chunks) || typeof count !== 'number') return null;
  const texts: string[] = [];
  for (let k = 0; k < chunks.length; k++) {
    const text = read(k);
    if (text === null || fnv1a(text) !== chunks[k]) return null;
    // A session saved before chunks were compressed has none marked: read as it is.
    const plain = text.startsWith(PACKED) ? LZString.decompressFromUTF16(text.slice(PACKED.length)) : text;
    if (plain === null) return null;
    if (plain !== '') texts.push(plain);
  }
  let inputs: unknown;
  try {
    inputs = JSON.parse(`[${texts.join(',')}]`);
  } catch {
    return null;
  }
  if (!Array.isArray(inputs) || inputs.length !== count) return null;
  return JSON.stringify({ ...run, inputs });
}

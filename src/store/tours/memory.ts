import type { StepOutput } from '../../drive/scenario/run';
import { toJson } from '../../db/json';

/** Where a tour stood, saved as it goes so a reload can resume it at its step (with the saved run). */
export interface TourMemory {
  id: string;
  index: number;
  /** Scenario steps run so far. */
  cursor: number;
  vars: Record<string, string>;
  results: StepOutput[];
  /** The simulation options the tour's run was built with, to recognise that run after a reload. */
  options: string;
}

const KEY = 'raftlite:tour';
// Node (tests) has no localStorage: memory stands in, and survives a simulated reload the same way.
let fallback: string | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

// Results may hold exact 64-bit integers (bigints, see src/db/values.ts): kept tagged, read back exact.
const tagBigint = (v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v);
function untagBigint(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const tagged = v as { $bigint?: unknown };
  return typeof tagged.$bigint === 'string' && Object.keys(v).length === 1 && /^-?\d+$/.test(tagged.$bigint) ? BigInt(tagged.$bigint) : v;
}

export function saveMemory(m: TourMemory | null): void {
  const text = m ? toJson(m, 0, tagBigint) : null;
  const s = storage();
  try {
    if (s) {
      if (text) s.setItem(KEY, text);
      else s.removeItem(KEY);
      return;
    }
  } catch {
    // Storage full or disabled: fall back to memory, the tour just will not survive a real reload.
  }
  fallback = text;
}

export function loadMemory(): TourMemory | null {
  let text: string | null = fallback;
  try {
    text = storage()?.getItem(KEY) ?? fallback;
  } catch {
    // as above
  }
  if (!text) return null;
  try {
    const m = JSON.parse(text, untagBigint) as TourMemory;
    return typeof m.id === 'string' && typeof m.index === 'number' ? m : null;
  } catch {
    return null;
  }
}

/** The same options, whatever order a round trip through a file put their keys in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

import type { RunBound } from '../replay/runBounds';

/** What session.ts needs of localStorage: an interface, so the writing can be tested with a full one. */
export type KeyStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SessionKeys {
  readonly head: string;
  readonly moment: string;
  chunk(k: number): string;
}

/**
 * Store a session's head and chunks (sessionChunks.ts), writing only the chunks that differ from
 * `ours` (what this page stored last), and removing the chunks past the new end. All or nothing:
 * when the storage refuses a write (full), every chunk changed so far is put back as it was, so
 * the head stored before still names the chunks it was written with, and a reload restores the
 * session as last saved. Left half-written, the head's checksums no longer matched and the whole
 * session was lost. False when the storage refused.
 */
export function writeParts(store: KeyStore, keys: SessionKeys, parts: { head: string; chunks: readonly string[] }, ours: readonly string[]): boolean {
  const written: [string, string | null][] = [];
  const removed: [string, string][] = [];
  try {
    parts.chunks.forEach((text, k) => {
      if (ours[k] === text) return;
      const key = keys.chunk(k);
      written.push([key, store.getItem(key)]);
      store.setItem(key, text);
    });
    // A shorter run (a fork) leaves chunks behind: this page's own, or any a longer save left.
    for (let k = parts.chunks.length; ; k++) {
      const key = keys.chunk(k);
      const text = store.getItem(key);
      if (text === null) break;
      removed.push([key, text]);
      store.removeItem(key);
    }
    store.setItem(keys.head, parts.head);
    store.removeItem(keys.moment);
    return true;
  } catch {
    // Put back what was overwritten first (it frees the room), then what was removed.
    for (const [key, text] of written.reverse()) {
      try {
        if (text === null) store.removeItem(key);
        else store.setItem(key, text);
      } catch {
        // Nothing more can be done: the next load finds the session damaged and says so.
      }
    }
    for (const [key, text] of removed) {
      try {
        store.setItem(key, text);
      } catch {
        // As above.
      }
    }
    return false;
  }
}

/** Why the session in the page is no longer saved: a bound a saved session cannot pass, or the storage is full. */
export type Unsaved = { readonly kind: 'past'; readonly bound: RunBound } | { readonly kind: 'full' };

/** Simulated time as minutes and seconds, the way the clock shows a long run (12:03.40). */
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${((ms % 60_000) / 1000).toFixed(2).padStart(5, '0')}`;

/** The notice for `why`; `savedAt`: the simulated time of the moment last saved, if any. */
export function unsavedNotice(why: Unsaved, savedAt: number | null): string {
  const restores = savedAt === null ? 'A reload will not bring it back.' : `A reload brings it back as it was at ${clock(savedAt)} of simulated time.`;
  if (why.kind === 'full')
    return `This browser’s storage is full: the session is no longer saved. ${restores} “Share / save” → “Export run” keeps all of it.`;
  const what =
    why.bound.bound === 'time'
      ? `${why.bound.limit / 3_600_000} simulated hour${why.bound.limit === 3_600_000 ? '' : 's'}`
      : why.bound.bound === 'frames'
        ? `${why.bound.limit.toLocaleString('en-US')} steps of the simulation`
        : `${why.bound.limit.toLocaleString('en-US')} actions and requests`;
  return `This run is longer than a saved session can hold (${what}): it is no longer saved. ${restores} “New cluster…” or acting in the past starts a run that is.`;
}

import LZString from 'lz-string';
import { pastBound } from '../replay/runBounds';
import { toRunFile } from '../replay/runFile';
import { LoadFailed, loadPart } from './loadPart';
import { joinParts, sessionParts } from './sessionChunks';
import { momentJson, restoreMoment, sessionJson } from './sessionJson';
import { unsavedNotice, writeParts, type SessionKeys, type Unsaved } from './sessionWrite';
import { useStore } from './store';
import { saveMemory } from './tours/memory';

/**
 * The run outside the page: a share link (compressed into the URL hash), the session saved in
 * localStorage as the learner works, and export / import as a JSON file. All three use one format,
 * validated by runFormat before anything is replayed. Its checks (zod) load with the first run
 * read in, not with the page: a first visit restores nothing.
 */
const checks = () => loadPart('The checks of a saved run', () => import('../replay/runFormat'));

const HASH_KEY = 'run=';
const STORAGE_KEY = 'raftlite:run';
/** The moment on screen of the run saved under STORAGE_KEY, written alone while no input is added. */
const MOMENT_KEY = 'raftlite:moment';
const SAVE_EVERY_MS = 1000;
/** Chunk k of the saved run's inputs (see sessionChunks); STORAGE_KEY holds the head. */
const chunkKey = (k: number) => `${STORAGE_KEY}:${k}`;
const KEYS: SessionKeys = { head: STORAGE_KEY, moment: MOMENT_KEY, chunk: chunkKey };
/**
 * Every tab of the page saves into the same keys, so their saves take turns (Web Locks, across the
 * tabs of one origin): two saves that crossed left the chunks of one run under the head of the
 * other, and the session could not be restored. Reading it back takes a shared turn.
 */
const LOCK = 'raftlite:session';

function inTurn<T>(mode: LockMode, fn: () => T): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request(LOCK, { mode }, fn) : Promise.resolve(fn());
}

function runJson(): string | null {
  const run = useStore.getState().currentRun();
  return run ? sessionJson(run) : null;
}

/** A link that replays this run to the moment on screen. */
export function shareUrl(): string | null {
  const json = runJson();
  if (!json) return null;
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}#${HASH_KEY}${LZString.compressToEncodedURIComponent(json)}`;
}

/**
 * Load a run from untrusted text, in slices between frames (a long one shows its progress); on any
 * problem say so and leave the current run alone. False too when the learner cancelled it.
 */
export async function importRun(text: string, what: string, title = what): Promise<boolean> {
  const store = useStore.getState();
  let format: Awaited<ReturnType<typeof checks>>;
  try {
    format = await checks();
  } catch (e) {
    if (!(e instanceof LoadFailed)) throw e;
    store.setNotice(e.message);
    return false;
  }
  const res = format.parseRun(text, what);
  if (!res.ok) {
    store.setNotice(res.error);
    return false;
  }
  try {
    return await store.restoreRun(res.run, title);
  } catch (e) {
    // The schema cannot know every way a run can disagree with the cluster (a node that is not there yet…).
    store.setNotice(`${what} could not be replayed: ${(e as Error).message}`);
    return false;
  }
}

export function exportRunFile(): { name: string; text: string } | null {
  const run = useStore.getState().currentRun();
  if (!run) return null;
  const text = JSON.stringify(toRunFile(run), null, 1);
  return { name: `raftlite-seed${run.options.seed}-t${Math.round(run.time)}.json`, text };
}

export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Open the run in the address's hash, if there is one; resolves once it is loaded (or refused). */
async function fromHash(): Promise<boolean> {
  const h = window.location.hash;
  const at = h.indexOf(HASH_KEY);
  if (at < 0) return false;
  const json = LZString.decompressFromEncodedURIComponent(h.slice(at + HASH_KEY.length));
  // Once loaded the link has done its job; later reloads restore the session as it went on.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!json) {
    useStore
      .getState()
      .setNotice('The link’s run is damaged (it could not be decompressed). Nothing was changed.');
    return true;
  }
  if (await importRun(json, 'The shared link', 'Opening the shared run'))
    useStore.getState().setNotice('Opened the shared run, paused where it was shared.');
  return true;
}

/** The saved head joined with its chunks (null if they do not match), and the moment saved since; undefined if none is saved. */
function readSaved(): { text: string | null; moment: string | null } | undefined {
  let head: string | null;
  try {
    head = localStorage.getItem(STORAGE_KEY);
  } catch {
    return undefined;
  }
  if (!head) return undefined;
  const text = joinParts(head, (k) => localStorage.getItem(chunkKey(k)));
  let moment: string | null = null;
  try {
    moment = localStorage.getItem(MOMENT_KEY);
  } catch {
    // No moment: the run as last saved in full.
  }
  return { text, moment };
}

async function fromStorage(): Promise<void> {
  const saved = await inTurn('shared', readSaved);
  if (!saved) return;
  const { text, moment } = saved;
  // A chunk missing or not the one its head was written with (a tab closed in the middle of a save,
  // the storage edited): the session cannot be put together. Said, not passed over in silence.
  if (text === null) {
    useStore
      .getState()
      .setNotice(
        'Your last session could not be restored: part of it is missing or damaged. A fresh cluster was started instead.',
      );
    return;
  }
  const res = (await checks()).parseRun(moment ? restoreMoment(text, moment) : text, 'The saved session');
  if (!res.ok) {
    useStore.getState().setNotice(res.error);
    return;
  }
  if (res.run.inputs.length === 0 && res.run.time === 0) return;
  try {
    const restored = await useStore.getState().restoreRun(res.run, 'Restoring your last session', 'Start afresh instead');
    // Started afresh instead: a tour that was under way belonged to the run left behind.
    if (!restored) return saveMemory(null);
    // What is stored is what a reload brings back, until this page saves over it.
    savedAt = res.run.time;
    useStore.getState().setNotice('Restored your last session where you left it. “New cluster…” starts afresh.');
  } catch {
    localStorage.removeItem(STORAGE_KEY);
    localStorage.removeItem(MOMENT_KEY);
  }
}

let pending: ReturnType<typeof setTimeout> | null = null;
/** What the last full save held: while only the moment moves, only the moment is written. */
let saved: { options: unknown; inputs: readonly unknown[]; count: number } | null = null;
/** The head and chunks this page last stored: only chunks that changed since are written again. */
let stored: { head: string; chunks: readonly string[] } | null = null;
/** The simulated time of the moment last stored (what a reload comes back to), if this page stored one. */
let savedAt: number | null = null;
/** Why the run on screen is not being saved, once said: said again only after a save succeeds. */
let unsaved: Unsaved | null = null;

/** Say once that the session is not saved any more, and what a reload will bring back. */
function notSaved(why: Unsaved): void {
  if (unsaved !== null && unsaved.kind === why.kind) return;
  unsaved = why;
  useStore.getState().setNotice(unsavedNotice(why, savedAt));
}

function writeSession(): void {
  // Half-restored, the run in memory is not the learner's: saving it would overwrite theirs.
  if (useStore.getState().restoring) return;
  const run = useStore.getState().currentRun();
  if (!run) return;
  // Past what a saved session holds, a save would not be read back (runFormat.ts refuses it): the
  // session as last saved, within the bounds, is kept instead of one no reload could restore.
  const bound = pastBound(run);
  if (bound) return notSaved({ kind: 'past', bound });
  try {
    // Only the moment moved, and the saved run is still this tab's (another tab may have saved its own since).
    if (
      saved &&
      saved.options === run.options &&
      saved.inputs === run.inputs &&
      saved.count === run.inputs.length &&
      stored !== null &&
      localStorage.getItem(STORAGE_KEY) === stored.head
    ) {
      localStorage.setItem(MOMENT_KEY, momentJson(run));
      savedAt = run.time;
      unsaved = null;
      return;
    }
    const parts = sessionParts(run);
    // Another tab saved its session since: none of the chunks stored can be trusted to be ours.
    const ours = stored !== null && localStorage.getItem(STORAGE_KEY) === stored.head ? stored.chunks : [];
    if (!writeParts(localStorage, KEYS, parts, ours)) return notSaved({ kind: 'full' });
    stored = parts;
    saved = { options: run.options, inputs: run.inputs, count: run.inputs.length };
    savedAt = run.time;
    unsaved = null;
  } catch {
    // Storage disabled (private browsing, a policy): the session just will not survive a reload.
  }
}

function saveSoon(): void {
  // Throttled, not debounced: while playing the store changes every animation frame. Then written
  // when the page is idle, so a long session's save does not land in the middle of a frame.
  if (pending !== null) return;
  pending = setTimeout(() => {
    const run = () => {
      pending = null;
      void inTurn('exclusive', writeSession);
    };
    if (typeof window.requestIdleCallback === 'function')
      window.requestIdleCallback(run, { timeout: SAVE_EVERY_MS });
    else run();
  }, SAVE_EVERY_MS);
}

/**
 * After the store is ready: open a shared link or restore the saved session, then keep saving.
 * Resolves once the run is on screen (a long one is replayed in slices, showing its progress).
 */
export async function startSession(): Promise<void> {
  if (useStore.getState().status !== 'ready') return;
  window.addEventListener('pagehide', () => {
    if (pending !== null) clearTimeout(pending);
    pending = null;
    // Leaving the page cannot wait for a turn: a save another tab is making at this very moment is the one risk left.
    writeSession();
  });
  window.addEventListener('hashchange', () => void fromHash());
  try {
    if (!(await fromHash())) await fromStorage();
  } catch (e) {
    if (!(e instanceof LoadFailed)) throw e;
    // The saved session is still there, unread: saving this fresh cluster over it would lose it.
    useStore.getState().setNotice(e.message);
    return;
  }
  // Only once restored: saving the run just read back would rewrite every chunk for nothing (and
  // another tab of the same page, opened meanwhile, would find that instead of a fresh start).
  useStore.subscribe((s, prev) => {
    if (s.frame !== prev.frame || s.revision !== prev.revision || s.time !== prev.time) saveSoon();
  });
}

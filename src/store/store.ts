import type { SqlJsStatic } from 'sql.js';
import { create } from 'zustand';
import { problemText } from '../cluster/errors';
import type { Answer, ReadLevel } from '../cluster/types';
import type { ConsoleEntry, Driver, RunRecord } from '../replay/types';
import { defaultSimOptions, Simulation, type InputAction, type RunKind, type SimEvent, type SimOptions } from '../replay/simulation';
import { DEFAULT_EVENT_WINDOW } from '../replay/eventWindow';
import { entryIndex, patchEntry } from './consoleEntries';
import { followRun } from './diagram';
import { followHistory } from './whyIndex';
import { frameAtTime, frameOfSeq } from './frameSearch';
import { isRoutine } from './interesting';
import { deliveryFrame } from './stepMessage';

export { frameAtTime, frameOfSeq };
import { buildOp, type RequestSettings } from './sql';
import { firstVisit, prefersDark, presenterFlag } from './startPreferences';

export type Theme = 'light' | 'dark';
export type Status = 'loading' | 'ready' | 'error';

export interface AppState {
  status: Status;
  error: string | null;
  options: SimOptions;
  /** Bumped whenever the simulation object is replaced (new cluster or fork). */
  revision: number;
  frame: number;
  time: number;
  playing: boolean;
  speed: number;
  selected: string | null;
  selectedMsg: number | null;
  theme: Theme;
  /** Presenter mode: large type, the console tucked away, lecture keys (also `?present` in the address). */
  presenter: boolean;
  notice: string | null;
  entries: ConsoleEntry[];
  settings: RequestSettings & { node: string };
  lastReplayMs: number | null;

  init(loadSql: () => Promise<SqlJsStatic>): Promise<void>;
  newCluster(options: SimOptions): void;
  tick(realMs: number): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  stepForward(): void;
  stepBack(): void;
  /** Step forward past heartbeats and their acks, to the next event the event list names. */
  stepInteresting(): void;
  /**
   * Step to just after the next (1) or previous (-1) delivery of a message `accept` takes (by
   * default any): walking an exchange message by message.
   */
  stepMessage(dir: 1 | -1, accept?: (e: SimEvent) => boolean): void;
  setPresenter(on: boolean): void;
  seekTime(time: number): void;
  seekEvent(seq: number): void;
  act(action: InputAction): void;
  submit(script: string): boolean;
  setSettings(patch: Partial<RequestSettings & { node: string }>): void;
  select(id: string | null): void;
  selectMsg(seq: number | null): void;
  setTheme(t: Theme): void;
  dismissNotice(): void;
  /**
   * Run a script at the moment on screen (forking if it is in the past) and return where the
   * script's clock ended; the view stays where it was so it can play up to there.
   */
  drive(script: (d: Driver) => void): { frame: number; time: number } | null;
  /** Replace the run with a recorded one, paused at its saved moment. */
  loadRun(run: RunRecord): void;
  /** The current run, for sharing and saving. */
  currentRun(): RunRecord | null;
  setNotice(text: string | null): void;
}

let SQL: SqlJsStatic | null = null;
let sim: Simulation | null = null;
let nextRequestId = 1;

/**
 * The page keeps only a window of its run's frames and events in memory (the rest is rebuilt from
 * checkpoints when read): the indexes that read the whole log (the diagram's model, Why?'s) follow
 * the run as it is recorded instead of reading it back. A fork keeps what the run it left kept.
 */
const PAGE_RUN: RunKind = { eventWindow: DEFAULT_EVENT_WINDOW };

/** Keep the indexes that follow the run on screen (the diagram's model, Why?'s) following `next`. */
function follow(next: Simulation, forkOf: { sim: Simulation; frame: number } | null = null): void {
  followRun(next, forkOf);
  followHistory(next, forkOf?.sim ?? null);
}

/**
 * Put a new simulation in place and free the old one's sql.js databases: the wasm heap they live
 * in is shared by every cluster and never garbage-collected, so each fork, new cluster or load used
 * to keep the old databases for good.
 */
function replaceSim(next: Simulation): Simulation {
  const old = sim;
  sim = next;
  follow(next);
  if (old && old !== next) old.cluster.dispose();
  return next;
}

/** The running simulation; components read frames and the log from it, keyed by `revision`. */
export function getSim(): Simulation | null {
  return sim;
}

function lookahead(s: Simulation): number {
  return s.maxLatency + 1;
}

/** The latest moment the view may show: the simulation runs ahead so in-flight messages are known. */
export function headTime(s: Simulation, viewTime: number): number {
  return Math.max(viewTime, s.now - lookahead(s));
}

export const useStore = create<AppState>()((set, get) => {
  const onAnswer = (id: number, answer: Answer, time: number) => {
    set((st) => {
      const entries = patchEntry(st.entries, id, (e) => ({ ...e, answer, answeredAt: time }));
      return entries ? { entries } : {};
    });
  };

  const ensureAhead = (s: Simulation, time: number) => {
    if (s.now < time + lookahead(s)) s.runTo(time + lookahead(s));
  };

  const start = (options: SimOptions) => {
    if (!SQL) return;
    ensureAhead(replaceSim(new Simulation(SQL, options, onAnswer, undefined, PAGE_RUN)), 0);
    set((st) => ({
      options,
      revision: st.revision + 1,
      frame: 0,
      time: 0,
      entries: [],
      selected: null,
      selectedMsg: null,
      settings: { ...st.settings, node: 'n1' },
    }));
  };

  /** Make the view frame the end of history, replaying the run from scratch up to it. */
  const forkAtView = () => {
    const s = sim;
    if (!s || !SQL) return;
    const { frame, time } = get();
    const hasFuture = s.inputs.some((i) => i.frame > frame);
    if (frame === s.frames.length - 1 && !hasFuture) return;
    const forkTime = s.frames.time(frame);
    const t0 = performance.now();
    // Resumed from the latest checkpoint at or before the frame: one interval replayed, not the run.
    // The old run's records are copied, not taken over: a tour's watcher may still read the run it
    // started on while the store switches (tour-audit's "play" mode caught it), and the diagram's
    // model, cut back to the fork and following the replay from there, reads the old run's frames.
    const next = replaceSim(Simulation.fork(SQL, s, frame, onAnswer, false, (n) => follow(n, { sim: s, frame })));
    const ms = performance.now() - t0;
    next.cluster.world.now = Math.max(next.now, time);
    const kept = new Set(next.inputs.flatMap((i) => (i.action.kind === 'request' ? [i.action.id] : [])));
    set((st) => ({
      revision: st.revision + 1,
      lastReplayMs: ms,
      entries: st.entries.map((e) => {
        if (!kept.has(e.id)) return e.forgotten ? e : { ...e, forgotten: true };
        if (e.answeredAt !== null && e.answeredAt > forkTime) return { ...e, answer: null, answeredAt: null };
        return e;
      }),
    }));
  };

  return {
    status: 'loading',
    error: null,
    options: defaultSimOptions,
    revision: 0,
    frame: 0,
    time: 0,
    // Paused at t = 0 until asked: a first election played on load was over before the page could
    // be read, and reduced motion asks for nothing to move by itself. A saved session or a shared
    // link is restored paused where it was (loadRun).
    playing: false,
    speed: firstVisit() ? 0.1 : 0.25,
    selected: null,
    selectedMsg: null,
    theme: prefersDark ? 'dark' : 'light',
    presenter: presenterFlag,
    notice: null,
    entries: [],
    settings: { node: 'n1', level: 'weak', transaction: false, queue: false, timeout: 5000 },
    lastReplayMs: null,

    async init(loadSql) {
      try {
        SQL = await loadSql();
        start(get().options);
        set({ status: 'ready' });
      } catch (e) {
        set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },

    newCluster(options) {
      start(options);
    },

    tick(realMs) {
      const s = sim;
      const st = get();
      if (!s || !st.playing) return;
      // A background tab delivers one huge delta on return: cap it instead of leaping ahead.
      const time = st.time + Math.min(realMs, 100) * st.speed;
      ensureAhead(s, time);
      set({ time, frame: frameAtTime(s.frames, time) });
    },

    play() {
      const s = sim;
      if (!s) return;
      if (s.inputs.some((i) => i.frame > get().frame)) forkAtView();
      set({ playing: true });
    },

    pause() {
      set({ playing: false });
    },

    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },

    setSpeed(speed) {
      set({ speed: Math.min(10, Math.max(0.1, speed)) });
    },

    stepForward() {
      const s = sim;
      if (!s) return;
      const cur = get().frame;
      const seqEnd = s.frames.seqEnd(cur);
      let f = cur + 1;
      for (;;) {
        while (f >= s.frames.length) if (!s.stepEvent()) return;
        if (s.frames.seqEnd(f) > seqEnd) break;
        f++;
      }
      const time = s.frames.time(f);
      ensureAhead(s, time);
      set({ playing: false, frame: f, time });
    },

    stepBack() {
      const s = sim;
      if (!s) return;
      const cur = get().frame;
      const here = frameOfSeq(s.frames, s.frames.seqEnd(cur) - 1);
      if (here === 0) {
        set({ playing: false, frame: 0, time: 0 });
        return;
      }
      const f = frameOfSeq(s.frames, s.frames.seqEnd(here - 1) - 1);
      set({ playing: false, frame: f, time: s.frames.time(f) });
    },

    stepInteresting() {
      const s = sim;
      if (!s) return;
      // Bounded: a quiet cluster (no leader changes, no requests) has only heartbeats to show.
      for (let k = 0; k < 2000; k++) {
        const before = s.frames.seqEnd(get().frame);
        get().stepForward();
        const after = s.frames.seqEnd(get().frame);
        if (sim !== s || after <= before) return;
        for (let q = before; q < after; q++) {
          const e = s.events.get(q);
          if (e && !isRoutine(e)) return;
        }
      }
    },

    stepMessage(dir, accept = () => true) {
      const s = sim;
      if (!s) return;
      const f = deliveryFrame(s, get().frame, dir, accept);
      if (f === null) return;
      const time = s.frames.time(f);
      ensureAhead(s, time);
      set({ playing: false, frame: f, time });
    },

    setPresenter(presenter) {
      set({ presenter });
    },

    seekTime(time) {
      const s = sim;
      if (!s) return;
      const t = Math.max(0, Math.min(time, headTime(s, get().time)));
      set({ playing: false, time: t, frame: frameAtTime(s.frames, t) });
    },

    seekEvent(seq) {
      const s = sim;
      if (!s) return;
      const f = frameOfSeq(s.frames, seq);
      set({ playing: false, frame: f, time: s.frames.time(f), selectedMsg: null });
    },

    act(action) {
      if (!sim) return;
      // While paused the user acts on the moment on screen; while playing, on the running head
      // (at most one network latency ahead of the picture).
      if (!get().playing) forkAtView();
      const s = sim;
      if (!s) return;
      const { problem } = s.apply(action);
      if (!get().playing) {
        const f = s.frames.length - 1;
        set({ frame: f, time: s.frames.time(f) });
        ensureAhead(s, s.frames.time(f));
      }
      set({ notice: problem ? problemText(problem) : null });
    },

    submit(script) {
      const { settings } = get();
      const op = buildOp(script, settings);
      if (!op || !sim) return false;
      // Fork before the entry exists: a fork marks the entries it throws away as from a discarded
      // future, and this one is the learner's new request, not part of that future.
      if (!get().playing) forkAtView();
      const id = nextRequestId++;
      const entry: ConsoleEntry = {
        id,
        sql: script,
        node: settings.node,
        op,
        sentAt: sim.now,
        answer: null,
        answeredAt: null,
        forgotten: false,
      };
      set((st) => ({ entries: [...st.entries, entry] }));
      get().act({ kind: 'request', id, node: settings.node, body: op });
      // A paused console forks first, so the request's own clock is only known afterwards.
      const sentAt = sim.inputs[sim.inputs.length - 1]?.time ?? entry.sentAt;
      set((st) => {
        const entries = patchEntry(st.entries, id, (e) => ({ ...e, sentAt }));
        return entries ? { entries } : {};
      });
      return true;
    },

    setSettings(patch) {
      set((st) => ({ settings: { ...st.settings, ...patch } }));
    },

    select(id) {
      set({ selected: id });
    },

    selectMsg(seq) {
      set({ selectedMsg: seq });
    },

    setTheme(theme) {
      set({ theme });
    },

    dismissNotice() {
      set({ notice: null });
    },

    drive(script) {
      const s0 = sim;
      if (!s0) return null;
      const { frame, time } = get();
      // Scripted steps act on exactly the moment on screen, so the same tour always plays the same.
      if (frame < s0.frames.length - 1 || s0.inputs.some((i) => i.frame > frame)) forkAtView();
      // Nothing happened between the last frame and the clock (else there would be frames): rewinding is safe.
      else if (s0.now > time) s0.cluster.world.now = Math.max(time, s0.lastFrame.time);
      const s = sim;
      if (!s) return null;
      const driver: Driver = {
        sim: s,
        request(node, body, sql) {
          const id = nextRequestId++;
          const entry: ConsoleEntry = { id, sql, node, op: body, sentAt: s.now, answer: null, answeredAt: null, forgotten: false };
          set((st) => ({ entries: [...st.entries, entry] }));
          const { problem } = s.apply({ kind: 'request', id, node, body });
          return { id, problem };
        },
        answer(id) {
          const { entries } = get();
          return entries[entryIndex(entries, id)]?.answer ?? null;
        },
      };
      script(driver);
      const end = { frame: s.frames.length - 1, time: s.now };
      ensureAhead(s, end.time);
      return end;
    },

    loadRun(run) {
      if (!SQL) return;
      const requests = run.inputs.flatMap((i) => (i.action.kind === 'request' ? [{ input: i, action: i.action }] : []));
      const entries: ConsoleEntry[] = requests.map(({ input, action }) => ({
        id: action.id,
        sql: action.body.req.statements.map((st) => st.sql).join(';\n'),
        node: action.node,
        op: action.body,
        sentAt: input.time,
        answer: null,
        answeredAt: null,
        forgotten: false,
      }));
      nextRequestId = Math.max(nextRequestId, ...entries.map((e) => e.id + 1));
      // Answers arrive during the replay below and land in these entries.
      set({ entries });
      const lastInput = run.inputs.length > 0 ? run.inputs[run.inputs.length - 1].frame : 0;
      const t0 = performance.now();
      const loaded = replaceSim(Simulation.replay(SQL, run.options, run.inputs, Math.max(run.frame, lastInput), onAnswer, (n) => follow(n), PAGE_RUN));
      loaded.runTo(run.head);
      const frame = Math.min(run.frame, loaded.frames.length - 1);
      const time = Math.max(run.time, loaded.frames.time(frame));
      ensureAhead(loaded, time);
      set((st) => ({
        options: run.options,
        revision: st.revision + 1,
        lastReplayMs: performance.now() - t0,
        frame,
        time,
        playing: false,
        selected: null,
        selectedMsg: null,
        settings: { ...st.settings, node: 'n1' },
      }));
    },

    currentRun() {
      const s = sim;
      if (!s) return null;
      const { options, frame, time } = get();
      return { options, inputs: s.inputs, frame, time, head: s.now };
    },

    setNotice(text) {
      set({ notice: text });
    },
  };
});

export type { ConsoleEntry, Driver, ReadLevel, RunRecord };

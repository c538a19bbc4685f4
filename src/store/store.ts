import { create } from 'zustand';
import type { AppState } from './appState';
import { problemText } from '../cluster/errors';
import type { Answer, ReadLevel } from '../cluster/types';
import type { ConsoleEntry, Driver, RunRecord } from '../replay/types';
import { defaultSimOptions, Simulation, type SimOptions } from '../replay/simulation';
import { answerEntries, entryIndex, patchEntry, type HeldAnswer } from './consoleEntries';
import { ensureAhead, follow, getSim, headTime, PAGE_RUN, replaceSim, setSqlJs, sqlJs, takeRequestId } from './current';
import { loadActions } from './loading';
import { moveActions } from './moves';
import { frameAtTime, frameOfSeq } from './frameSearch';

export { frameAtTime, frameOfSeq, getSim, headTime };
import { buildOp } from './sql';
import { openWhenIdle } from './openWhenIdle';
import { firstVisit, prefersDark, presenterFlag } from './startPreferences';

export type { AppState, Status, Theme } from './appState';

export const useStore = create<AppState>()((set, get) => {
  /**
   * Answers that came while the play loop advanced the cluster, written with the frame they came
   * in (one update of the store, one copy of the console): at 50 writes/s every answer was an
   * update of its own, each running every subscriber's selector and copying the console.
   */
  let held: HeldAnswer[] | null = null;
  const onAnswer = (id: number, answer: Answer, time: number) => {
    if (held) {
      held.push({ id, answer, time });
      return;
    }
    set((st) => {
      const entries = patchEntry(st.entries, id, (e) => ({ ...e, answer, answeredAt: time }));
      return entries ? { entries } : {};
    });
  };

  const start = (options: SimOptions) => {
    const SQL = sqlJs();
    if (!SQL) return;
    // A run being restored would replace this one when done.
    loads.cancelLoads();
    const sim = replaceSim(new Simulation(SQL, options, onAnswer, undefined, PAGE_RUN));
    ensureAhead(sim, 0);
    openWhenIdle(sim);
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
    const s = getSim();
    const SQL = sqlJs();
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

  const loads = loadActions(set, onAnswer);

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
    restoring: null,

    async init(loadSql) {
      try {
        setSqlJs(await loadSql());
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
      const s = getSim();
      const st = get();
      if (!s || !st.playing) return;
      // A background tab delivers one huge delta on return: cap it instead of leaping ahead.
      const time = st.time + Math.min(realMs, 100) * st.speed;
      const answers: HeldAnswer[] = (held = []);
      let moved = false;
      try {
        ensureAhead(s, time);
        moved = true;
      } finally {
        held = null;
        // Written even when advancing failed part-way: the answers that came are the cluster's.
        set((now) => ({
          ...(moved ? { time, frame: frameAtTime(s.frames, time) } : {}),
          ...(answers.length > 0 ? { entries: answerEntries(now.entries, answers) ?? now.entries } : {}),
        }));
      }
    },

    play() {
      const s = getSim();
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

    ...moveActions(set, get),

    setPresenter(presenter) {
      set({ presenter });
    },

    act(action) {
      if (!getSim()) return;
      // While paused the user acts on the moment on screen; while playing, on the running head
      // (at most one network latency ahead of the picture).
      if (!get().playing) forkAtView();
      const s = getSim();
      if (!s) return;
      const { problem } = s.apply(action);
      if (!get().playing) {
        const f = s.frames.length - 1;
        set({ frame: f, time: s.frames.time(f) });
        ensureAhead(s, s.frames.time(f));
      }
      // Every update runs every subscriber's selector: none when the notice stays as it was.
      const notice = problem ? problemText(problem) : null;
      if (notice !== get().notice) set({ notice });
    },

    submit(script) {
      const { settings } = get();
      const op = buildOp(script, settings);
      const s0 = getSim();
      if (!op || !s0) return false;
      // Fork before the entry exists: a fork marks the entries it throws away as from a discarded
      // future, and this one is the learner's new request, not part of that future.
      if (!get().playing) forkAtView();
      const id = takeRequestId();
      const entry: ConsoleEntry = {
        id,
        sql: script,
        node: settings.node,
        op,
        sentAt: (getSim() ?? s0).now,
        answer: null,
        answeredAt: null,
        forgotten: false,
      };
      set((st) => ({ entries: [...st.entries, entry] }));
      get().act({ kind: 'request', id, node: settings.node, body: op });
      // A paused console forks first, so the request's own clock is only known afterwards.
      const inputs = getSim()?.inputs ?? [];
      const sentAt = inputs[inputs.length - 1]?.time ?? entry.sentAt;
      if (sentAt !== entry.sentAt)
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
      const s0 = getSim();
      if (!s0) return null;
      const { frame, time } = get();
      // Scripted steps act on exactly the moment on screen, so the same tour always plays the same.
      if (frame < s0.frames.length - 1 || s0.inputs.some((i) => i.frame > frame)) forkAtView();
      // Nothing happened between the last frame and the clock (else there would be frames): rewinding is safe.
      else if (s0.now > time) s0.cluster.world.now = Math.max(time, s0.lastFrame.time);
      const s = getSim();
      if (!s) return null;
      const driver: Driver = {
        sim: s,
        request(node, body, sql) {
          const id = takeRequestId();
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

    loadRun: loads.loadRun,
    restoreRun: loads.restoreRun,
    cancelRestore: loads.cancelRestore,

    currentRun() {
      const s = getSim();
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

import type { SqlJsStatic } from 'sql.js';
import type { ConsoleEntry, Driver, RunRecord } from '../replay/types';
import type { InputAction, SimEvent, SimOptions } from '../replay/simulation';
import type { RequestSettings } from './sql';

/** The page's store (store.ts): what it holds, and every action on it. */
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
  /** A recorded run being replayed in slices (restoreRun): how far, in simulated ms, and what it is. */
  restoring: { at: number; of: number; what: string; cancel: string } | null;

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
  /**
   * `loadRun` in slices between frames, with `restoring` telling how far it is: false when it was
   * cancelled (the run shown before stays). Throws, leaving the run shown alone, when the run
   * cannot be replayed.
   */
  restoreRun(run: RunRecord, what: string, cancel?: string): Promise<boolean>;
  /** Stop the load under way; the run shown before it stays. */
  cancelRestore(): void;
  /** The current run, for sharing and saving. */
  currentRun(): RunRecord | null;
  setNotice(text: string | null): void;
}

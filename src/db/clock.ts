import { RandomSource } from './random';
import type { Command } from './types';

/** What SQLite may read from outside the database while one command or query runs. */
export interface SqlEnvironment {
  /** The simulated clock, ms since the Unix epoch: 'now', CURRENT_TIMESTAMP, column defaults. */
  ts: number;
  /** The source random() and randomblob() draw from (see functions.ts). */
  random: RandomSource;
}

let active: SqlEnvironment | null = null;

/** The environment of the command or query running now, or null outside one. */
export function activeEnvironment(): SqlEnvironment | null {
  return active;
}

/** Local-time getters Emscripten's localtime_r reads: answered in UTC, so 'localtime' is UTC on every machine. */
const LOCAL_TO_UTC = [
  ['getFullYear', 'getUTCFullYear'],
  ['getMonth', 'getUTCMonth'],
  ['getDate', 'getUTCDate'],
  ['getDay', 'getUTCDay'],
  ['getHours', 'getUTCHours'],
  ['getMinutes', 'getUTCMinutes'],
  ['getSeconds', 'getUTCSeconds'],
] as const;

type DateGetter = (this: Date) => number;

/** The Date.now that answers the active environment's clock: installed once, kept while it is in place. */
let shimNow: (() => number) | null = null;

/**
 * Make Date answer the active environment while one is set, and behave as before otherwise: Date.now
 * and the local-time getters delegate, so entering and leaving an environment is one assignment
 * (it happens for every command on every node). Installed again if something replaced Date.now
 * or Date itself since (a test's fake timers, say).
 */
function install(): void {
  // eslint-disable-next-line no-restricted-properties -- we wrap, not read, the wall clock
  if (Date.now === shimNow) return;
  // eslint-disable-next-line no-restricted-properties -- kept to answer outside an environment
  const real = Date.now.bind(Date);
  const proto = Date.prototype as unknown as Record<string, DateGetter>;
  for (const [local, utc] of LOCAL_TO_UTC) {
    const own = proto[local];
    const inUtc = proto[utc];
    proto[local] = function (this: Date) {
      return (active ? inUtc : own).call(this);
    };
  }
  const offset = proto.getTimezoneOffset;
  proto.getTimezoneOffset = function (this: Date) {
    return active ? 0 : offset.call(this);
  };
  shimNow = () => (active ? active.ts : real());
  // eslint-disable-next-line no-restricted-properties -- SQLite must see the command's time
  Date.now = shimNow;
}

/**
 * Run `fn` with the world SQLite sees fixed. SQLite inside sql.js reads the wall clock (Emscripten
 * calls Date.now()) for 'now', CURRENT_TIMESTAMP and column defaults, and the machine's time zone
 * (Date's local getters) for 'localtime' and 'utc'. Under the command's timestamp and UTC, those
 * values are identical on every node, in every replay and on every machine (TZ=Asia/Tokyo included).
 */
export function withEnvironment<T>(env: SqlEnvironment, fn: () => T): T {
  const outer = enterEnvironment(env);
  try {
    return fn();
  } finally {
    leaveEnvironment(outer);
  }
}

/**
 * `withEnvironment` without a function to run: `env` until `leaveEnvironment` is given what this
 * returned (in a `finally`). For the path every node's every write takes (writes.ts): the closure
 * made there per write on every node was a tenth of what replicated writes allocated.
 */
export function enterEnvironment(env: SqlEnvironment): SqlEnvironment | null {
  install();
  const outer = active;
  active = env;
  return outer;
}

export function leaveEnvironment(outer: SqlEnvironment | null): void {
  active = outer;
}

/** The command's clock, and its random() built on first use (most commands never call it). */
class CommandEnvironment implements SqlEnvironment {
  private source: RandomSource | null = null;

  constructor(
    readonly ts: number,
    private readonly seed: number,
  ) {}

  get random(): RandomSource {
    return (this.source ??= new RandomSource(this.seed));
  }
}

export function environmentOf(cmd: Command): SqlEnvironment {
  return new CommandEnvironment(cmd.ts, cmd.seed ?? cmd.ts);
}

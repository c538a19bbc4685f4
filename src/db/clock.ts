import type { RandomSource } from './random';

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

/**
 * Run `fn` with the world SQLite sees fixed. SQLite inside sql.js reads the wall clock (Emscripten
 * calls Date.now()) for 'now', CURRENT_TIMESTAMP and column defaults, and the machine's time zone
 * (Date's local getters) for 'localtime' and 'utc'. Under the command's timestamp and UTC, those
 * values are identical on every node, in every replay and on every machine (TZ=Asia/Tokyo included).
 */
export function withEnvironment<T>(env: SqlEnvironment, fn: () => T): T {
  // eslint-disable-next-line no-restricted-properties -- we replace, not read, the wall clock
  const real = Date.now;
  const proto = Date.prototype as unknown as Record<string, DateGetter>;
  const saved = LOCAL_TO_UTC.map(([local]) => proto[local]);
  const offset = proto.getTimezoneOffset;
  const outer = active;
  // eslint-disable-next-line no-restricted-properties -- SQLite must see the command's time
  Date.now = () => env.ts;
  for (const [local, utc] of LOCAL_TO_UTC) proto[local] = proto[utc];
  proto.getTimezoneOffset = () => 0;
  active = env;
  try {
    return fn();
  } finally {
    active = outer;
    // eslint-disable-next-line no-restricted-properties -- restore the real clock
    Date.now = real;
    LOCAL_TO_UTC.forEach(([local], i) => (proto[local] = saved[i]));
    proto.getTimezoneOffset = offset;
  }
}

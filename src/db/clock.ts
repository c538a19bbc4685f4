/**
 * SQLite inside sql.js reads the wall clock (Emscripten calls Date.now()) for 'now',
 * CURRENT_TIMESTAMP and column defaults. Applying a command under the leader's timestamp makes
 * those values identical on every node and in every replay.
 */
export function withClock<T>(ms: number, fn: () => T): T {
  // eslint-disable-next-line no-restricted-properties -- we replace, not read, the wall clock
  const real = Date.now;
  // eslint-disable-next-line no-restricted-properties -- SQLite must see the command's time
  Date.now = () => ms;
  try {
    return fn();
  } finally {
    // eslint-disable-next-line no-restricted-properties -- restore the real clock
    Date.now = real;
  }
}

/**
 * The world SQLite sees while a command runs (clock.ts): Date.now and the local-time getters answer
 * the command's timestamp in UTC inside `withEnvironment`, and the machine's clock and zone outside
 * it, so the page's own times are untouched. The machine is played by stand-ins put on Date before
 * the environment wraps it (a time zone set through process.env.TZ does not reach a worker thread,
 * where the mutation runs execute these tests): each local getter answers a number no UTC getter
 * gives, and Date.now a fixed time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeEnvironment, withEnvironment, type SqlEnvironment } from '../../src/db/clock';
import { RandomSource } from '../../src/db/random';

const env = (ts: number): SqlEnvironment => ({ ts, random: new RandomSource(1) });
/** 1799-12-31 20:30:15 UTC, a Tuesday. */
const MOMENT = Date.UTC(1799, 11, 31, 20, 30, 15);
const GETTERS = ['getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getTimezoneOffset'] as const;
const fields = (d: Date) => GETTERS.map((g) => d[g]());
const UTC = [1799, 11, 31, 2, 20, 30, 15, 0];
const MACHINE = GETTERS.map((_, k) => 1000 + k);
const MACHINE_NOW = 12345;

/** Run `fn` on a machine whose local getters answer MACHINE and whose clock reads MACHINE_NOW. */
function onMachine(fn: () => void): void {
  const proto = Date.prototype as unknown as Record<string, unknown>;
  const saved = GETTERS.map((g) => proto[g]);
  const savedNow = Date.now;
  GETTERS.forEach((g, k) => (proto[g] = () => MACHINE[k]));
  Date.now = () => MACHINE_NOW;
  try {
    fn();
  } finally {
    GETTERS.forEach((g, k) => (proto[g] = saved[k]));
    Date.now = savedNow;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('withEnvironment', () => {
  it("answers the command's time in UTC inside, the machine's clock and zone before and after", () => {
    onMachine(() => {
      withEnvironment(env(0), () => undefined);
      expect(fields(new Date(MOMENT))).toEqual(MACHINE);
      expect(Date.now()).toBe(MACHINE_NOW);
      expect(activeEnvironment()).toBeNull();
      const e = env(MOMENT);
      const inside = withEnvironment(e, () => ({ now: Date.now(), fields: fields(new Date(MOMENT)), active: activeEnvironment() }));
      expect(inside).toEqual({ now: MOMENT, fields: UTC, active: e });
      expect(fields(new Date(MOMENT))).toEqual(MACHINE);
      expect(Date.now()).toBe(MACHINE_NOW);
      expect(activeEnvironment()).toBeNull();
    });
  });

  it('gives the outer environment back after a nested one, and after a throw', () => {
    const outer = env(1000);
    withEnvironment(outer, () => {
      expect(withEnvironment(env(2000), () => Date.now())).toBe(2000);
      expect(Date.now()).toBe(1000);
      expect(() =>
        withEnvironment(env(3000), () => {
          throw new Error('statement failed');
        }),
      ).toThrow('statement failed');
      expect(activeEnvironment()).toBe(outer);
      expect(Date.now()).toBe(1000);
    });
    expect(activeEnvironment()).toBeNull();
  });

  it('answers again after something replaced Date (fake timers)', () => {
    vi.useFakeTimers({ now: 5000 });
    expect(withEnvironment(env(MOMENT), () => [Date.now(), ...fields(new Date(MOMENT))])).toEqual([MOMENT, ...UTC]);
    expect(Date.now()).toBe(5000);
  });

  it('wraps Date once, not once per command: after 100,000 commands its getters still answer', () => {
    onMachine(() => {
      for (let k = 0; k < 100_000; k++) withEnvironment(env(k), () => undefined);
      expect(fields(new Date(MOMENT))).toEqual(MACHINE);
      expect(Date.now()).toBe(MACHINE_NOW);
    });
  });
});

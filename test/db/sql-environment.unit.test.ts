/**
 * The world SQLite sees while a command runs (clock.ts): Date.now and the local-time getters answer
 * the command's timestamp in UTC inside `withEnvironment`, and the machine's clock and zone outside
 * it, so the page's own times are untouched. Run in a zone whose offset differs from UTC in every
 * field, seconds included: Asia/Kolkata kept local mean time (+5:53:28) until 1854.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeEnvironment, withEnvironment, type SqlEnvironment } from '../../src/db/clock';
import { RandomSource } from '../../src/db/random';

const env = (ts: number): SqlEnvironment => ({ ts, random: new RandomSource(1) });
/** 1799-12-31 20:30:15 UTC: 1800-01-01 02:23:43 in Kolkata, a Wednesday, not a Tuesday. */
const MOMENT = Date.UTC(1799, 11, 31, 20, 30, 15);
const fields = (d: Date) => [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getTimezoneOffset()];
const LOCAL = [1800, 0, 1, 3, 2, 23, 43, -353];
const UTC = [1799, 11, 31, 2, 20, 30, 15, 0];
/** The wall clock as Date's constructor reads it, which no one replaces. */
const wall = () => new Date().getTime();

let tz: string | undefined;
beforeEach(() => {
  tz = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata';
});
afterEach(() => {
  vi.useRealTimers();
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('withEnvironment', () => {
  it("answers the command's time in UTC inside, the machine's clock and zone before and after", () => {
    withEnvironment(env(0), () => undefined);
    expect(fields(new Date(MOMENT))).toEqual(LOCAL);
    expect(Math.abs(Date.now() - wall())).toBeLessThan(1000);
    expect(activeEnvironment()).toBeNull();
    const e = env(MOMENT);
    const inside = withEnvironment(e, () => ({ now: Date.now(), fields: fields(new Date(MOMENT)), active: activeEnvironment() }));
    expect(inside).toEqual({ now: MOMENT, fields: UTC, active: e });
    expect(fields(new Date(MOMENT))).toEqual(LOCAL);
    expect(Math.abs(Date.now() - wall())).toBeLessThan(1000);
    expect(activeEnvironment()).toBeNull();
  });

  it('gives the outer environment back after a nested one, and after a throw', () => {
    const outer = env(1000);
    withEnvironment(outer, () => {
      expect(withEnvironment(env(2000), () => Date.now())).toBe(2000);
      expect(Date.now()).toBe(1000);
      expect(() => withEnvironment(env(3000), () => {
        throw new Error('statement failed');
      })).toThrow('statement failed');
      expect(activeEnvironment()).toBe(outer);
      expect(Date.now()).toBe(1000);
    });
    expect(activeEnvironment()).toBeNull();
  });

  it('answers again after something replaced Date (fake timers)', () => {
    vi.useFakeTimers({ now: 5000 });
    expect(withEnvironment(env(MOMENT), () => [Date.now(), ...fields(new Date(MOMENT))])).toEqual([MOMENT, ...UTC]);
    expect(Date.now()).toBe(5000);
    expect(fields(new Date(MOMENT))).toEqual(LOCAL);
  });

  it('wraps Date once, not once per command: after 20,000 commands its getters still answer', () => {
    for (let k = 0; k < 20_000; k++) withEnvironment(env(k), () => undefined);
    expect(fields(new Date(MOMENT))).toEqual(LOCAL);
    expect(Math.abs(Date.now() - wall())).toBeLessThan(1000);
  });
});

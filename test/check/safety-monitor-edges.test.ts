import { describe, expect, it } from 'vitest';
import { INVARIANTS, SafetyMonitor } from '../../src/check/safety';
import { entry, HandBuiltCluster, log } from '../helpers/handBuilt';

/**
 * The edges of the safety monitor's checks (src/check/safety.ts): what it reports and when, how
 * often, and the states next to a violation that are legal (compacted logs, sampled hashes). The
 * violations themselves are in safety-monitor.test.ts; these tests came from mutation testing.
 */

describe('a violation as reported', () => {
  it('carries the clock and the index of the event it was found at', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.event();
    c.event();
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    expect(m.violations()).toEqual([
      {
        invariant: 'Log Matching',
        at: 3,
        event: 2,
        node: 'n1',
        detail: 'n1 and n2 hold different entries at 2 in term 1',
      },
    ]);
  });

  it('stops at maxReports', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 1, 2);
    for (let i = 1; i <= 4; i++) {
      c.apply('n1', entry(i, 1, 'a'));
      c.apply('n2', entry(i, 1, 'b'));
    }
    expect(m.violations().map((v) => v.detail)).toEqual([
      'n2 applied a different command at index 1 (term 1 vs 1)',
      'n2 applied a different command at index 2 (term 1 vs 1)',
    ]);
  });

  it('counts the states it checked, one per event', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    expect(m.statesChecked).toBe(0);
    for (let i = 0; i < 3; i++) c.event();
    expect(m.statesChecked).toBe(3);
  });

  it('names the five properties of Figure 3, in the paper’s order', () => {
    expect(INVARIANTS).toEqual([
      'Election Safety',
      'Leader Append-Only',
      'Log Matching',
      'Leader Completeness',
      'State Machine Safety',
    ]);
  });
});

describe('Log Matching, checked when a log changes', () => {
  it('a last entry replaced in place (same index) is checked again at that event', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'a']));
    c.event();
    expect(m.violations()).toEqual([]);
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n2 hold different entries at 2 in term 1']);
  });

  it('a log that changed is checked against one that did not', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, [1, 'a']));
    c.event();
    c.server('n3').setLog(log(1, [1, 'c']));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n3 hold different entries at 2 in term 1']);
  });

  it('events with no log change do not count towards `fullCheckEvery`', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 3);
    // The first three events scan the empty logs; the next two change nothing.
    for (let i = 0; i < 5; i++) c.event();
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    c.event();
    expect(m.violations()).toEqual([]);
    c.event();
    expect(m.violations()).toHaveLength(1);
  });

  it('every `fullCheckEvery` events: not before', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 3);
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    c.event();
    expect(m.violations()).toEqual([]);
    c.event();
    expect(m.violations().map((v) => v.invariant)).toEqual(['Log Matching']);
  });

  it('only entries after both snapshots are compared', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, 1, 2, 2));
    c.server('n2').setLog(log(1, 1, 2));
    c.server('n2').proc.storage.compact(2, new Uint8Array(0));
    c.server('n1').proc.storage.compact(1, new Uint8Array(0));
    c.event();
    m.finish();
    expect(m.violations()).toEqual([]);
  });

  it('one report per scan: the first pair found, at its highest differing index', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log([1, 'a'], [1, 'a']));
    c.server('n2').setLog(log([1, 'b'], [1, 'b']));
    c.server('n3').setLog(log([1, 'c'], [1, 'c']));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n2 hold different entries at 2 in term 1']);
  });

  it('a pair that agrees at a later index but differs at two earlier ones is reported once', () => {
    const c = new HandBuiltCluster(['n1', 'n2']);
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log([1, 'x'], [1, 'x'], 2));
    c.server('n2').setLog(log([1, 'y'], [1, 'y'], 2));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual(['n1 and n2 agree at a later index but differ at 2']);
  });

  it('a pair neither of whose logs changed is not scanned again', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    expect(m.violations()).toHaveLength(1);
    c.event();
    c.server('n3').setLog(log(1));
    c.event();
    // n3's change re-checks n1–n3 and n2–n3, not n1–n2 again.
    expect(m.violations()).toHaveLength(1);
    m.finish();
    expect(m.violations()).toHaveLength(2);
  });
});

describe('entries compared by term and kind, not only by what they carry', () => {
  // No-ops and configuration entries carry no data: two of them differ by term or kind alone.
  const noop = (index: number, term: number) => ({ index, term, kind: 'noop' as const, data: undefined });

  it('a new leader holding a no-op of another term where a no-op was committed lacks it', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.apply('n1', noop(1, 1));
    c.server('n2')
      .setLog([noop(1, 2)])
      .lead(2);
    c.event();
    expect(m.violations().map((v) => v.invariant)).toEqual(['Leader Completeness']);
  });

  it('a configuration entry where a no-op of the same term was committed is a different entry', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.apply('n1', noop(1, 1));
    c.server('n2')
      .setLog([
        { index: 1, term: 1, kind: 'config', data: undefined, config: { voters: ['n2'], learners: [] } },
      ])
      .lead(2);
    c.event();
    expect(m.violations().map((v) => v.invariant)).toEqual(['Leader Completeness']);
  });
});

describe('Leader Append-Only next to a compaction', () => {
  it('a leader that compacts its log past its last entry lost nothing', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    const n1 = c.server('n1').setLog(log(1, 2)).lead(2);
    c.event();
    n1.proc.storage.compact(2, new Uint8Array(0));
    c.event();
    n1.proc.storage.append(entry(3, 2, 'next'));
    c.event();
    expect(m.violations()).toEqual([]);
  });

  it('a leader whose tail was cut is reported, however the tip is looked up', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    const n1 = c
      .server('n1')
      .setLog(log(1, 2, 2))
      .lead(2);
    c.event();
    n1.setLog(log(1, 2));
    n1.proc.storage.compact(1, new Uint8Array(0));
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual([
      'leader n1 of term 2 lost or overwrote its entry 3',
    ]);
  });
});

describe('Leader Completeness next to a compaction', () => {
  it('committed entries inside the new leader’s snapshot count as held, the snapshot index included', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.apply('n1', entry(1, 1, '1:1'));
    c.apply('n1', entry(2, 1, '1:2'));
    c.apply('n1', entry(3, 1, '1:3'));
    const n2 = c.server('n2').setLog(log(1, 1, 1, 2));
    n2.proc.storage.compact(2, new Uint8Array(0));
    n2.lead(2);
    c.event();
    expect(m.violations()).toEqual([]);
  });

  it('a leader lacking several committed entries is reported once', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n1', entry(2, 1, 'b'));
    c.server('n2').lead(2);
    c.event();
    expect(m.violations().map((v) => v.detail)).toEqual([
      'leader n2 of term 2 lacks committed entry 1 (term 1)',
    ]);
  });
});

describe('State Machine Safety on database content, sampled', () => {
  it('hashEvery = 2 compares the databases after even indexes only', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 1, 20, 2);
    c.server('n1').holding('aaaa');
    c.server('n2').holding('bbbb');
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n2', entry(1, 1, 'a'));
    expect(m.violations()).toEqual([]);
    c.apply('n1', entry(2, 1, 'b'));
    c.apply('n2', entry(2, 1, 'b'));
    expect(m.violations().map((v) => v.detail)).toEqual([
      'n2 and n1 applied the same log up to index 2 but hold different databases (dbHash bbbb vs aaaa)',
    ]);
  });

  it('a negative hashEvery turns it off too', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 1, 20, -1);
    c.server('n1').holding('aaaa');
    c.server('n2').holding('bbbb');
    c.apply('n1', entry(2, 1, 'a'));
    c.apply('n2', entry(2, 1, 'a'));
    expect(m.violations()).toEqual([]);
  });

  it('hashEvery = 0 turns the content check off', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 1, 20, 0);
    c.server('n1').holding('aaaa');
    c.server('n2').holding('bbbb');
    c.apply('n1', entry(2, 1, 'a'));
    c.apply('n2', entry(2, 1, 'a'));
    expect(m.violations()).toEqual([]);
  });

  it('a different command applied is one report, not also a content one', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').holding('aaaa');
    c.server('n2').holding('bbbb');
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n2', entry(1, 1, 'b'));
    expect(m.violations().map((v) => v.detail)).toEqual([
      'n2 applied a different command at index 1 (term 1 vs 1)',
    ]);
  });

  it('a server without a database (down) is not hashed', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c);
    c.server('n1').holding('aaaa');
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n2', entry(1, 1, 'a'));
    c.server('n3').holding('aaaa');
    c.apply('n3', entry(1, 1, 'a'));
    expect(m.violations()).toEqual([]);
  });
});

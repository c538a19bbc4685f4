import { describe, expect, it } from 'vitest';
import { SafetyMonitor, type Invariant } from '../../src/check/safety';
import { entry, HandBuiltCluster, log } from '../helpers/handBuilt';

/**
 * Each of Raft's safety properties (Figure 3) that the monitor claims to check, broken by hand in a
 * state fed straight to it, next to a legal state that looks alike and must pass. Every "reports"
 * test here fails when the check it names is switched off.
 */

function watch(ids?: string[]): { c: HandBuiltCluster; m: SafetyMonitor; kinds: () => Invariant[] } {
  const c = new HandBuiltCluster(ids);
  const m = new SafetyMonitor(c);
  return { c, m, kinds: () => m.violations().map((v) => v.invariant) };
}

describe('Election Safety: at most one leader per term', () => {
  it('reports a second leader in the same term, naming both', () => {
    const { c, m, kinds } = watch();
    c.server('n1').lead(2);
    c.event();
    c.server('n1').follow(2);
    c.server('n2').lead(2);
    c.event();
    expect(kinds()).toEqual(['Election Safety']);
    expect(m.violations()[0]).toMatchObject({ node: 'n2', detail: 'n1 and n2 are both leader in term 2' });
  });

  it('accepts leaders of successive terms, and the same leader seen again', () => {
    const { c, kinds } = watch();
    c.server('n1').lead(2);
    c.event();
    c.event();
    c.server('n1').follow(3);
    c.server('n2').lead(3);
    c.event();
    expect(kinds()).toEqual([]);
  });
});

describe('Leader Append-Only: a leader never overwrites or deletes entries in its log', () => {
  it('reports a leader whose last entry was replaced by another of the same index', () => {
    const { c, m, kinds } = watch();
    const n1 = c.server('n1').setLog(log(1, 2)).lead(2);
    c.event();
    n1.setLog([entry(1, 1, '1:1'), entry(2, 2, 'something else')]);
    c.event();
    expect(kinds()).toEqual(['Leader Append-Only']);
    expect(m.violations()[0]).toMatchObject({ node: 'n1', detail: 'leader n1 of term 2 lost or overwrote its entry 2' });
  });

  it('reports a leader whose log lost its tail', () => {
    const { c, kinds } = watch();
    const n1 = c.server('n1').setLog(log(1, 2, 2)).lead(2);
    c.event();
    n1.proc.storage.truncateFrom(3);
    c.event();
    expect(kinds()).toEqual(['Leader Append-Only']);
  });

  it('accepts a leader that only appends, and a new term that starts afresh', () => {
    const { c, kinds } = watch();
    const n1 = c.server('n1').setLog(log(1, 2)).lead(2);
    c.event();
    n1.proc.storage.append(entry(3, 2, 'more'));
    c.event();
    // Deposed and re-elected in a later term after its tail was replaced: a different leadership.
    n1.follow(3);
    n1.setLog(log(1, 2, 3));
    c.event();
    n1.lead(4);
    c.event();
    expect(kinds()).toEqual([]);
  });
});

describe('Log Matching: same index and term means identical logs up to there', () => {
  it('reports two logs holding different entries at the same index and term, at the event itself', () => {
    const { c, m, kinds } = watch();
    c.server('n1').setLog(log(1, [1, 'a']));
    c.server('n2').setLog(log(1, [1, 'b']));
    c.event();
    // Found by the per-event check, not only by the final full scan.
    expect(kinds()).toEqual(['Log Matching']);
    expect(m.violations()[0].detail).toBe('n1 and n2 hold different entries at 2 in term 1');
  });

  it('reports logs that agree at a later index but differ before it', () => {
    const { c, m, kinds } = watch();
    c.server('n1').setLog(log([1, 'x'], 2, 2));
    c.server('n2').setLog(log([1, 'y'], 2, 2));
    c.event();
    expect(kinds()).toEqual(['Log Matching']);
    expect(m.violations()[0].detail).toBe('n1 and n2 agree at a later index but differ at 1');
  });

  it('finish() finds it even when the per-event scan is thinned out', () => {
    const c = new HandBuiltCluster();
    const m = new SafetyMonitor(c, 1_000_000);
    c.server('n2').setLog(log(1, 1, [2, 'a']));
    c.server('n3').setLog(log(1, 1, [2, 'b']));
    c.event();
    expect(m.violations()).toEqual([]);
    m.finish();
    expect(m.violations().map((v) => v.invariant)).toEqual(['Log Matching']);
  });

  it('accepts logs that differ only after the last index where their terms agree', () => {
    const { c, m, kinds } = watch();
    // The follower's uncommitted term-1 tail is about to be overwritten by the term-2 leader: legal.
    c.server('n1').setLog(log(1, [1, 'a'], [1, 'b']));
    c.server('n2').setLog(log(1, [2, 'c']));
    c.server('n3').setLog(log(1));
    c.event();
    m.finish();
    expect(kinds()).toEqual([]);
  });
});

describe('Leader Completeness: a leader holds every committed entry', () => {
  it('reports a new leader that lacks an entry some server applied', () => {
    const { c, m, kinds } = watch();
    c.server('n1').setLog(log(1, [1, 'committed']));
    c.apply('n1', entry(1, 1, '1:1'));
    c.apply('n1', entry(2, 1, 'committed'));
    c.server('n2').setLog(log(1)).lead(2);
    c.event();
    expect(kinds()).toEqual(['Leader Completeness']);
    expect(m.violations()[0]).toMatchObject({ node: 'n2', detail: 'leader n2 of term 2 lacks committed entry 2 (term 1)' });
  });

  it('reports a new leader holding a different entry where a committed one was', () => {
    const { c, kinds } = watch();
    c.apply('n1', entry(1, 1, 'committed'));
    c.server('n2').setLog([entry(1, 1, 'other')]).lead(2);
    c.event();
    expect(kinds()).toEqual(['Leader Completeness']);
  });

  it('accepts a new leader that holds every applied entry', () => {
    const { c, kinds } = watch();
    c.server('n1').setLog(log(1, [1, 'committed']));
    c.apply('n1', entry(1, 1, '1:1'));
    c.apply('n1', entry(2, 1, 'committed'));
    c.server('n2').setLog(log(1, [1, 'committed'], 2)).lead(2);
    c.event();
    expect(kinds()).toEqual([]);
  });
});

describe('State Machine Safety: no two servers apply different commands at one index', () => {
  it('reports a server applying a different entry at an index another already applied', () => {
    const { c, m, kinds } = watch();
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n2', entry(1, 2, 'b'));
    expect(kinds()).toEqual(['State Machine Safety']);
    expect(m.violations()[0]).toMatchObject({ node: 'n2', detail: 'n2 applied a different command at index 1 (term 2 vs 1)' });
  });

  it('reports two servers that applied the same entry but hold different databases (database content)', () => {
    const { c, m, kinds } = watch();
    c.server('n1').holding('aaaa');
    c.server('n2').holding('bbbb');
    c.apply('n1', entry(1, 1, 'a'));
    c.apply('n2', entry(1, 1, 'a'));
    expect(kinds()).toEqual(['State Machine Safety']);
    expect(m.violations()[0].detail).toContain('different databases');
  });

  it('accepts servers that applied the same entry and hold the same database', () => {
    const { c, kinds } = watch();
    for (const id of ['n1', 'n2', 'n3']) c.server(id).holding('same');
    for (const id of ['n1', 'n2', 'n3']) c.apply(id, entry(1, 1, 'a'));
    expect(kinds()).toEqual([]);
  });

  it('accepts every server applying the same entry, and the same entry again after a restart', () => {
    const { c, kinds } = watch();
    for (const id of ['n1', 'n2', 'n3', 'n1']) c.apply(id, entry(1, 1, 'a'));
    c.apply('n2', entry(2, 1, 'b'));
    expect(kinds()).toEqual([]);
  });
});

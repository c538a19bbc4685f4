import { describe, expect, it } from 'vitest';
import type { Frame, NodeView } from '../../src/replay/frames';
import { failures, type Moment } from '../../src/store/tours/facts';
import { contradictions, render, unvouched } from '../../src/store/tours/template';

function node(id: string, role: NodeView['role'], term: number, alive = true): NodeView {
  const log = { index: 1, entry: { index: 1, term, kind: 'noop' as const, data: null }, prev: null };
  return { id, role, term, alive, membership: 'voter', votedFor: null, leaderId: null, commitIndex: 1, lastApplied: 1, snapshotIndex: 0, snapshotTerm: 0, lastIndex: 1, log, electionDeadline: 0, timerStart: 0, votes: 0, voter: true, progress: [], transferTarget: null };
}

const frame: Frame = {
  time: 100,
  seqEnd: 1,
  nodes: [node('n1', 'follower', 2), node('n2', 'leader', 2), node('n3', 'follower', 1, false)],
  net: { groups: [0, 0, 1], drop: 0, duplicate: 0, latencyMin: 5, latencyMax: 15 },
};
const m: Moment = { frame, vars: { old: 'n3' }, results: [] };

describe('tour facts and templates', () => {
  it('facts hold or say why not', () => {
    expect(failures([{ leader: 'n2', term: 2 }, { down: '$old' }, { apart: ['n2', '$old'] }, { count: 'follower', is: 1 }], m)).toEqual([]);
    expect(failures([{ leader: 'n1' }], m)).toEqual(['n2 leads, not n1']);
    expect(failures([{ node: '$old', role: 'leader' }], m)).toEqual(['n3 is a follower, not a leader']);
    expect(failures([{ noLeader: true }], m)).toEqual(['n2 leads term 2']);
    expect(failures([{ entry: { node: 'n1', index: 1, term: 1 } }], m)).toEqual(['n1’s entry 1 is from term 2']);
  });

  it('templates are filled from the moment, and name nothing it lacks', () => {
    const r = render(['{leader} leads term {leader.term}; {$old} was leader; {majority} of {voters}; {nobody}'], m);
    expect(r.text[0]).toBe('n2 leads term 2; n3 was leader; 2 of 3; …');
    expect(r.missing).toEqual(['{nobody}']);
    expect(contradictions(['n7 won term 9 at index 4'], m)).toHaveLength(3);
    expect(unvouched(['n2 leads term 2, index 1'], [{ leader: 'n2', term: 2 }], undefined)).toEqual(['index 1']);
  });
});

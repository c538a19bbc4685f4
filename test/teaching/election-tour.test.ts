import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario, type ScenarioOutput } from '../../src/drive/scenario/run';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Role } from '../../src/raft/types';
import { electionTour } from '../../src/store/tours/election';

/**
 * Tour 2 tells the learner what happens at each pause: who became a candidate, that the vote split,
 * who won term 2. Those sentences are true only for the tour's seed and options; this runs its
 * scenario (the page runs the same steps to the same events) and checks each one.
 */

interface Change {
  time: number;
  id: string;
  role: Role | 'down';
  term: number;
}

let SQL: SqlJsStatic;
let out: ScenarioOutput;
const changes: Change[] = [];

/** Every node's role and term once every event up to `time` has happened. */
function stateAt(time: number): Map<string, { role: Role | 'down'; term: number }> {
  const state = new Map<string, { role: Role | 'down'; term: number }>();
  for (const c of changes) if (c.time <= time) state.set(c.id, { role: c.role, term: c.term });
  return state;
}

/** When the narration step titled `title` is on screen: the end of the scenario steps run so far. */
function timeOfStep(title: string): number {
  const k = electionTour.steps.findIndex((s) => s.title === title);
  expect(k, title).toBeGreaterThanOrEqual(0);
  const ran = electionTour.steps.slice(0, k + 1).reduce((n, s) => n + (s.run ?? 0), 0);
  expect(ran).toBeGreaterThan(0);
  return out.steps[ran - 1].at;
}

function nodesOf(text: unknown): string[] {
  return (String(text).match(/n\d+/g) ?? []).sort();
}

function ids(state: Map<string, { role: Role | 'down'; term: number }>, role: Role, term: number): string[] {
  return [...state].filter(([, s]) => s.role === role && s.term === term).map(([id]) => id).sort();
}

describe('tour 2 (leader election and split votes): the narration is true of its run', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
    out = runScenario(parseScenario(JSON.stringify(electionTour.scenario)), SQL, (cluster) => {
      const last = new Map<string, string>();
      cluster.observe({
        onEvent: () => {
          for (const s of cluster.servers.values()) {
            const r = s.proc.raft;
            const now: Change = { time: cluster.now, id: s.id, role: r ? r.role : 'down', term: s.proc.storage.term };
            const key = `${now.role}/${now.term}`;
            if (last.get(s.id) !== key) {
              last.set(s.id, key);
              changes.push(now);
            }
          }
        },
      });
      return { violations: () => [] };
    });
  });

  it('"n2, n5 and n1 have become candidates in term 1": three timers ran out within a few milliseconds', () => {
    const step = electionTour.steps.find((s) => s.title === 'Candidates ask for votes')!;
    const named = nodesOf(electionTour.scenario.steps[0].comment);
    expect(named).toHaveLength(3);
    expect(step.highlight?.nodes?.slice().sort()).toEqual(named);
    expect(ids(stateAt(timeOfStep(step.title)), 'candidate', 1)).toEqual(named);
    const became = named.map((id) => changes.find((c) => c.id === id && c.role === 'candidate' && c.term === 1)!.time);
    expect(Math.max(...became) - Math.min(...became)).toBeLessThanOrEqual(10);
  });

  it('"a split vote": nobody reached three votes, term 1 ends without a leader', () => {
    const at = timeOfStep('A split vote');
    expect(changes.some((c) => c.role === 'leader' && c.term === 1)).toBe(false);
    const state = stateAt(at);
    expect(ids(state, 'leader', 1)).toEqual([]);
    expect([...state.values()].every((s) => s.term === 1 && s.role !== 'leader')).toBe(true);
  });

  it('"term 2 elects" the node the tour names, and everyone who heard from it says T2', () => {
    const named = nodesOf(electionTour.scenario.steps[2].comment);
    expect(named).toHaveLength(1);
    const state = stateAt(timeOfStep('A leader for term 2'));
    expect(ids(state, 'leader', 2)).toEqual(named);
    expect(out.steps[2]).toMatchObject({ ok: true, node: named[0] });
    expect([...state.values()].every((s) => s.term === 2)).toBe(true);
    // The first leader of the run at all: no earlier term had one.
    expect(changes.find((c) => c.role === 'leader')).toMatchObject({ id: named[0], term: 2 });
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, SCENARIO_DIR } from '../helpers/scenario';

const load = (file: string): { steps: unknown[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as { steps: unknown[] } & Record<
    string,
    unknown
  >;

// The membership scenario files (14-join-and-remove, 15-leader-removes-itself) state their own
// expectations; this one compares a file's run with the same run carried on.
describe('§6 membership changes, one server at a time', () => {
  it('a removed node that keeps timing out does not disturb the cluster', async () => {
    const file = load('14-join-and-remove.json');
    const base = await run(file);
    const out = await run({
      ...file,
      // The file's final expectations describe its own end, not this longer run's.
      expect: undefined,
      steps: [
        ...file.steps,
        { wait: 5000 },
        { execute: "INSERT INTO t VALUES('later')" },
        { waitFor: 'converged' },
      ],
    });
    expect(out.violations).toEqual([]);
    expect(out.leader).toBe(base.leader);
    const members = out.nodes.filter((n) => n.member);
    expect(new Set(members.map((n) => n.term))).toEqual(
      new Set([base.nodes.find((n) => n.id === base.leader)!.term]),
    );
    expect(out.stats.elections).toBe(base.stats.elections);
  });
});

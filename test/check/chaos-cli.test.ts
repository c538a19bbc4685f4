import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');

function chaos(...args: string[]) {
  return spawnSync(tsx, ['cli/chaos.ts', ...args], { cwd: root, encoding: 'utf8' });
}

describe('npm run chaos', () => {
  it('prints the summary and exits 0 when Raft kept its promises', () => {
    const r = chaos('--seeds', '4', '--seed-start', '1', '--nodes', '3', '--ops', '40');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^chaos: 4 seeds from 1, 3 nodes, 40 operations each, a fault every ~250 ms, levels none,weak,strong,linearizable$/m);
    expect(r.stdout).toMatch(/^operations: 160 \(\d+ with unknown outcome\), faults injected: \d+$/m);
    expect(r.stdout).toMatch(/^safety violations: 0 runs$/m);
    expect(r.stdout).toMatch(/^\s+strong\s+0 of 4 runs/m);
    expect(r.stdout).toMatch(/^\s+linearizable\s+0 of 4 runs/m);
    expect(r.stdout).toMatch(/^verdict: 4 passed, 0 failed, 0 undecided$/m);
    expect(r.stdout).toMatch(/^wall time: [\d.]+ s/m);
    // The summary is the same for the same seeds, wall time aside.
    const again = chaos('--seeds', '4', '--seed-start', '1', '--nodes', '3', '--ops', '40');
    const strip = (s: string) => s.replace(/^wall time:.*$/m, '');
    expect(strip(again.stdout)).toBe(strip(r.stdout));
  });

  it('refuses bad arguments with status 2', () => {
    const r = chaos('--levels', 'none,eventual');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown level eventual');
    expect(chaos('--nodes', '12').stderr).toContain('--nodes must be an integer in 3..9');
  });
});

// In its own file, not beside the page's case: Stryker leaves out tests that spawn the CLI.
describe('an undecided check in `npm run chaos`', () => {
  it('the CLI: out of budget it names the undecided runs apart and exits 0, as no promise was shown broken', () => {
    const args = ['--seeds', '2', '--seed-start', '3', '--nodes', '3', '--ops', '30'];
    const starved = chaos(...args, '--budget', '1');
    expect(starved.status, starved.stderr).toBe(0);
    expect(starved.stdout).toMatch(/^verdict: 0 passed, 0 failed, 2 undecided {2}\(first: 3, 4\)$/m);
    expect(starved.stdout).toMatch(/^ {2}undecided is not a pass: the checker ran out of its budget of 1 steps/m);
    // With its budget the same seeds pass, and the page decides alike: test/check/chaos-undecided.test.ts.
  });
});

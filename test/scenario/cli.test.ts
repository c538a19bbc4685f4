import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');

function runCli(file: string) {
  return spawnSync(tsx, ['cli/scenario.ts', file], { cwd: root, encoding: 'utf8' });
}

function tmpFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'raftlite-'));
  const f = join(dir, 'scenario.json');
  writeFileSync(f, content);
  return f;
}

describe('scenario CLI contract', () => {
  it('prints one JSON object and exits 0; the same file gives byte-identical output', () => {
    const f = resolve(root, 'scenarios/02-replication.json');
    const a = runCli(f);
    const b = runCli(f);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(a.stdout);
    // The file states expectations, so the output ends with what they found.
    expect(Object.keys(out)).toEqual(['steps', 'leader', 'nodes', 'violations', 'events', 'stats', 'expectations']);
    expect(out.expectations.failed).toEqual([]);
    expect(a.stdout).toBe(b.stdout);
  });

  it.each([
    ['not JSON', '{ nodes: 3', /not valid JSON/],
    ['unknown step', '{"nodes":3,"steps":[{"frobnicate":1}]}', /step 0: unknown step/],
    ['wrong type', '{"nodes":3,"steps":[{"wait":"soon"}]}', /step 0 \(wait\)/],
    ['unknown node id', '{"nodes":3,"steps":[{"kill":"n9"}]}', /unknown node id "n9"/],
    ['unknown field', '{"nodes":3,"steps":[{"execute":"SELECT 1","nodee":"n1"}]}', /nodee/],
    ['missing steps', '{"nodes":3}', /steps/],
    ['bad level', '{"steps":[{"query":"SELECT 1","level":"eventual"}]}', /level/],
  ])('a malformed file (%s) exits 2 with a clear message', (_name, text, message) => {
    const r = runCli(tmpFile(text));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a file whose expectations are not all met prints its output, names each unmet one on stderr, and exits 3', () => {
    const f = tmpFile(
      JSON.stringify({
        nodes: 3,
        seed: 1,
        steps: [
          { waitFor: 'leader', expect: { node: 'n2' } },
          // Expanded to steps 1 and 2: messages number the expanded steps.
          { repeat: 2, steps: [{ query: 'SELECT {i}', expect: { rows: [[0]] } }] },
          { expect: { leader: 'n1', nodes: { n3: { role: 'leader' } } } },
        ],
        expect: { leader: null, allStepsOk: true },
      }),
    );
    const r = runCli(f);
    expect(r.status, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.steps).toHaveLength(4);
    // The failed `expect` step fails like any step, with its code; so not every step is ok.
    expect(out.steps[3]).toMatchObject({ ok: false, code: 'expectation-failed', error: '1 expectation not met (see "expectations")' });
    expect(out.expectations).toEqual({
      checked: 7,
      failed: [
        { step: 0, what: 'node', expected: 'n2', actual: 'n1' },
        { step: 2, what: 'rows', expected: [[0]], actual: [[1]] },
        { step: 3, what: 'nodes.n3.role', expected: 'leader', actual: 'follower' },
        { step: null, what: 'leader', expected: null, actual: 'n1' },
        { step: null, what: 'allStepsOk', expected: true, actual: false },
      ],
    });
    expect(r.stderr.trim().split('\n')).toEqual([
      `${f}: step 0: expected node "n2", got "n1"`,
      `${f}: step 2: expected rows [[0]], got [[1]]`,
      `${f}: step 3: expected nodes.n3.role "leader", got "follower"`,
      `${f}: at the end: expected leader null, got "n1"`,
      `${f}: at the end: expected allStepsOk true, got false`,
    ]);
  });

  it('a file without expectations has no "expectations" in its output, and exits 0 even when steps fail', () => {
    const r = runCli(tmpFile('{"nodes":3,"seed":3,"steps":[{"kill":"leader"}]}'));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.expectations).toBeUndefined();
    expect(out.steps[0]).toMatchObject({ ok: false, code: 'leader-unresolved', error: 'no leader' });
  });

  it('a missing file exits 2', () => {
    const r = runCli('/nonexistent/scenario.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read/);
  });
});

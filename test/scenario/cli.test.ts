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

  it('a missing file exits 2', () => {
    const r = runCli('/nonexistent/scenario.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read/);
  });
});

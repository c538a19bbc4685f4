/**
 * Scores from StrykerJS JSON reports (mutation-testing-report schema), per file and per area, so
 * that runs done one file at a time (a full area takes hours on a 2-core machine) add up to the
 * area's score. Where two reports hold the same file, the newer report wins.
 *
 *   npm run mutate:score                                   reports/mutation/mutation.json
 *   npm run mutate:score -- reports/mutation/runs/*.json   any set of reports
 */
import { readFileSync, statSync } from 'node:fs';

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

type Tally = { killed: number; timeout: number; survived: number; noCoverage: number; other: number };

const COUNTED: Record<string, keyof Tally> = {
  Killed: 'killed',
  Timeout: 'timeout',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  RuntimeError: 'other',
};

function tally(statuses: string[]): Tally {
  const t: Tally = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
  // CompileError and Ignored mutants are not part of the score (Stryker's own definition).
  for (const s of statuses) if (COUNTED[s]) t[COUNTED[s]]++;
  return t;
}

const score = (t: Tally) => {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage + t.other;
  return valid === 0 ? NaN : (100 * (t.killed + t.timeout)) / valid;
};

function areaOf(file: string): string {
  const m = /src\/([^/]+)\//.exec(file);
  return m ? `src/${m[1]}` : file;
}

function main(paths: string[]): void {
  const byFile = new Map<string, { statuses: string[]; mtime: number }>();
  for (const p of paths) {
    let report: Report;
    try {
      report = JSON.parse(readFileSync(p, 'utf8')) as Report;
    } catch (e) {
      console.error(`mutation-score: cannot read ${p}: ${(e as Error).message}`);
      process.exit(2);
    }
    if (typeof report !== 'object' || report === null || typeof report.files !== 'object') {
      console.error(`mutation-score: ${p} has no "files": not a mutation-testing report`);
      process.exit(2);
    }
    const mtime = statSync(p).mtimeMs;
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const prev = byFile.get(file);
      if (!prev || prev.mtime < mtime) byFile.set(file, { statuses: mutants.map((m) => m.status), mtime });
    }
  }
  const areas = new Map<string, string[]>();
  const rows: string[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const statuses = byFile.get(file)!.statuses;
    const t = tally(statuses);
    rows.push(line(file, t));
    areas.set(areaOf(file), [...(areas.get(areaOf(file)) ?? []), ...statuses]);
  }
  console.log(line('file', null));
  for (const r of rows) console.log(r);
  console.log('');
  for (const [area, statuses] of [...areas].sort()) console.log(line(area, tally(statuses)));
}

function line(name: string, t: Tally | null): string {
  if (!t)
    return `${'score'.padStart(7)} ${'killed'.padStart(6)} ${'t/o'.padStart(4)} ${'surv'.padStart(5)} ${'nocov'.padStart(5)}  ${name}`;
  const s = score(t);
  return `${(Number.isNaN(s) ? '–' : s.toFixed(2)).padStart(7)} ${String(t.killed).padStart(6)} ${String(t.timeout).padStart(4)} ${String(t.survived).padStart(5)} ${String(t.noCoverage).padStart(5)}  ${name}`;
}

const args = process.argv.slice(2);
main(args.length > 0 ? args : ['reports/mutation/mutation.json']);

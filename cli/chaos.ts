// `npm run chaos -- --seeds 1000 --nodes 5`: many short chaos runs, each checked for Raft safety,
// convergence and linearizability per read level. Exit 1 when anything Raft promises broke for
// certain; a run the checker could not decide within its budget is reported apart (see RunOutcome).
import { DEFAULT_BUDGET, exitStatus, GUARANTEED, judge, type RunOutcome } from '../src/check/chaos/verdict';
import { SafetyMonitor } from '../src/check/safety';
import { runChaos } from '../src/drive/chaos/run';
import { READ_LEVELS, defaultChaosOptions } from '../src/drive/chaos/types';
import type { ReadLevel } from '../src/cluster/types';
import { loadSqlJs } from '../src/db/sqljs';

interface Args {
  seeds: number;
  seedStart: number;
  nodes: number;
  ops: number;
  faultEvery: number;
  levels: ReadLevel[];
  budget: number;
  sqlMix: boolean;
  verbose: boolean;
}

const USAGE = 'usage: npm run chaos -- [--seeds N] [--seed-start S] [--nodes N] [--ops N] [--fault-every MS] [--levels none,weak,strong,linearizable] [--budget STEPS] [--sql-mix] [--verbose]';

function parseArgs(argv: string[]): Args {
  const a: Args = { seeds: 100, seedStart: 1, nodes: 5, ops: defaultChaosOptions.ops, faultEvery: defaultChaosOptions.faultEvery, levels: [...READ_LEVELS], budget: DEFAULT_BUDGET, sqlMix: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer in ${min}..${max}, not ${v}`);
      return n;
    };
    switch (flag) {
      case '--seeds': a.seeds = int(1, 1_000_000); break;
      case '--seed-start': a.seedStart = int(0, 2 ** 31); break;
      case '--nodes': a.nodes = int(3, 9); break;
      case '--ops': a.ops = int(1, 10_000); break;
      case '--fault-every': a.faultEvery = int(0, 60_000); break;
      case '--levels': {
        const levels = value().split(',').map((s) => s.trim());
        for (const l of levels) if (!READ_LEVELS.includes(l as ReadLevel)) throw new Error(`unknown level ${l}`);
        a.levels = levels as ReadLevel[];
        break;
      }
      case '--budget': a.budget = int(1, 1_000_000_000); break;
      case '--sql-mix': a.sqlMix = true; break;
      case '--verbose': a.verbose = true; break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: throw new Error(`unknown argument ${flag}`);
    }
  }
  return a;
}

interface LevelTally {
  failed: number[];
  /** Failures the verdict could name as one plain stale read. */
  stale: number;
  undecided: number[];
  reads: number;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const SQL = await loadSqlJs();
  const t0 = performance.now();
  const tally = new Map<ReadLevel, LevelTally>(args.levels.map((l) => [l, { failed: [], stale: 0, undecided: [], reads: 0 }]));
  let operations = 0;
  let unknown = 0;
  let faults = 0;
  const unsafe: number[] = [];
  const diverged: number[] = [];
  const examples = new Map<ReadLevel, string>();
  const outcomes: RunOutcome[] = [];
  const undecidedRuns: number[] = [];
  for (let seed = args.seedStart; seed < args.seedStart + args.seeds; seed++) {
    const run = runChaos(SQL, { seed, nodes: args.nodes, ops: args.ops, faultEvery: args.faultEvery, levels: args.levels, sqlMix: args.sqlMix }, (c) => new SafetyMonitor(c, 1, 5));
    const verdict = judge(run, args.budget);
    outcomes.push(verdict.outcome);
    if (verdict.outcome === 'undecided') undecidedRuns.push(seed);
    operations += run.history.length;
    unknown += run.history.filter((o) => o.outcome.status === 'unknown').length;
    faults += run.faults.length;
    if (run.violations.length > 0) unsafe.push(seed);
    if (!run.converged || !run.hashesAgree) diverged.push(seed);
    for (const v of verdict.levels) {
      const t = tally.get(v.level)!;
      t.reads += v.reads;
      if (v.result === 'illegal') {
        t.failed.push(seed);
        if (v.staleRead) t.stale++;
        if (!examples.has(v.level)) examples.set(v.level, `seed ${seed}, ${v.level}:\n${v.explanation}`);
      } else if (v.result === 'unknown') t.undecided.push(seed);
    }
    if (args.verbose) {
      const levels = verdict.levels.map((v) => `${v.level}=${v.result}`).join(' ');
      process.stdout.write(`seed ${seed}: ${run.history.length} ops, ${run.faults.length} faults, ${run.violations.length} violations, ${levels}\n`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const firstFew = (xs: number[]) => (xs.length === 0 ? '' : `  (first: ${xs.slice(0, 10).join(', ')})`);
  const lines = [
    `chaos: ${args.seeds} seeds from ${args.seedStart}, ${args.nodes} nodes, ${args.ops} operations each, a fault every ~${args.faultEvery} ms, levels ${args.levels.join(',')}`,
    `operations: ${operations} (${unknown} with unknown outcome), faults injected: ${faults}`,
    `safety violations: ${unsafe.length} runs${firstFew(unsafe)}`,
    `did not converge to one database: ${diverged.length} runs${firstFew(diverged)}`,
    'linearizability failures per read level:',
    ...args.levels.map((l) => {
      const t = tally.get(l)!;
      const promise = GUARANTEED.includes(l) ? 'must be 0' : 'stale reads allowed';
      const undecided = t.undecided.length > 0 ? `, ${t.undecided.length} undecided${firstFew(t.undecided)}` : '';
      const stale = t.failed.length > 0 ? `, ${t.stale} of them a plain stale read` : '';
      return `  ${l.padEnd(12)} ${String(t.failed.length).padStart(5)} of ${args.seeds} runs (${t.reads} reads; ${promise}${stale})${firstFew(t.failed)}${undecided}`;
    }),
    `verdict: ${outcomes.filter((o) => o === 'pass').length} passed, ${outcomes.filter((o) => o === 'fail').length} failed, ${undecidedRuns.length} undecided${firstFew(undecidedRuns)}`,
    ...(undecidedRuns.length > 0 ? [`  undecided is not a pass: the checker ran out of its budget of ${args.budget} steps on strong/linearizable reads; retry those seeds with a larger --budget`] : []),
    `wall time: ${seconds.toFixed(1)} s (${((seconds * 1000) / args.seeds).toFixed(0)} ms per run)`,
  ];
  for (const [, text] of examples) lines.push('', 'first failure ' + text);
  process.stdout.write(lines.join('\n') + '\n');
  return exitStatus(outcomes);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);

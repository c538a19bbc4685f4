import type { SqlJsStatic } from 'sql.js';
import { Prng } from '../../sim/prng';
import { Cluster } from '../../cluster/cluster';
import type { Monitor } from '../scenario/run';
import type { Answer } from '../../cluster/types';
import { ChaosClients, KV_TABLE } from './clients';
import { SQL_MIX_QUERIES, SQL_MIX_SETUP, sqlMixStatement } from './sqlMix';
import type { ClientOp } from '../../cluster/types';
import { applyFault, randomFault } from './faults';
import { clusterHost, type Host } from '../host';
import { Agenda } from './agenda';
import type { AppliedFault, ChaosNodeState, ChaosOptions, ChaosRun } from './types';
import { defaultChaosOptions } from './types';

const SETUP_MS = 10_000;
const SETTLE_MS = 30_000;
const NORMAL_LATENCY: [number, number] = [5, 15];

/**
 * The fault schedule's PRNG is its own stream, seeded from the run's seed: the cluster's stream
 * (latencies, losses), the clients' and the schedule's do not shift each other.
 */
function chaosPrng(seed: number): Prng {
  return new Prng((seed ^ 0x5bd1e995) >>> 0);
}

function requestAndWait(host: Host, agenda: Agenda, node: string, sql: string, timeout: number): Answer | null {
  let answer: Answer | null = null;
  host.request(node, { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout } }, (a) => (answer = a), sql);
  agenda.run(() => answer !== null, host.cluster.now + timeout + 1);
  return answer;
}

/** Elect a leader and create the table(s) before any client or fault starts. */
function setUp(host: Host, agenda: Agenda, sqlMix: boolean): void {
  const cluster = host.cluster;
  const deadline = cluster.now + SETUP_MS;
  while (cluster.now < deadline) {
    agenda.run(() => cluster.stableLeader() !== null, deadline);
    const leader = cluster.stableLeader();
    if (!leader) break;
    const a = requestAndWait(host, agenda, leader.id, sqlMix ? [KV_TABLE, ...SQL_MIX_SETUP].join('; ') : KV_TABLE, 1000);
    if (a?.ok && a.result.results.every((r) => r.error === undefined)) return;
  }
  throw new Error(`chaos set-up: no leader created the table within ${SETUP_MS} ms`);
}

/**
 * The SQL-mix client: one request in flight at a time, to a random node, from its own PRNG stream
 * (so the key–value clients' choices do not shift), until the key–value clients are done.
 */
function startSqlMix(host: Host, agenda: Agenda, opts: ChaosOptions, done: () => boolean): void {
  const prng = new Prng((opts.seed ^ 0x3c6ef372) >>> 0);
  const pick = (n: number) => prng.int(0, n - 1);
  const next = () => agenda.at(host.cluster.now + prng.int(1, 20), issue, opts.clients);
  const issue = () => {
    if (done()) return;
    const ids = [...host.cluster.servers.keys()];
    const node = ids[pick(ids.length)];
    const read = opts.levels.length > 0 && prng.float() < 0.2;
    const sql = read ? SQL_MIX_QUERIES[pick(SQL_MIX_QUERIES.length)] : sqlMixStatement(pick);
    const body: ClientOp = read
      ? { op: 'query', req: { statements: [{ sql }], level: opts.levels[pick(opts.levels.length)], timeout: opts.timeout } }
      : { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: opts.timeout } };
    host.request(node, body, () => next(), sql);
  };
  next();
}

/** Heal, restart and rejoin everything, then wait until every member has applied the same log. */
function settle(host: Host, agenda: Agenda, removed: Set<string>, faults: AppliedFault[]): boolean {
  const cluster = host.cluster;
  host.act({ kind: 'heal' });
  host.act({ kind: 'network', drop: 0, duplicate: 0, latency: NORMAL_LATENCY });
  for (const s of cluster.servers.values()) if (!s.alive) host.act({ kind: 'restart', node: s.id });
  faults.push({ at: cluster.now, kind: 'heal', action: { kind: 'heal' }, ok: true, final: true });
  const ids = [...cluster.servers.keys()];
  const deadline = cluster.now + SETTLE_MS;
  const allVoters = () => {
    const cfg = cluster.membership.committedConfig();
    return cfg !== null && ids.every((id) => cfg.voters.includes(id));
  };
  while (cluster.now < deadline) {
    if (allVoters() && cluster.converged()) return true;
    const cfg = cluster.membership.committedConfig();
    const missing = cfg ? ids.filter((id) => !cfg.voters.includes(id) && !cfg.learners.includes(id)) : [];
    if (missing.length > 0) {
      const id = missing[0];
      const by = cluster.leader()?.id ?? null;
      if (host.act({ kind: 'join', node: id, voter: true }).problem === null) faults.push({ at: cluster.now, kind: 'join', action: { kind: 'join', node: id }, node: id, ok: true, by });
      removed.delete(id);
    }
    agenda.advance(50);
  }
  return allVoters() && cluster.converged();
}

function nodeStates(cluster: Cluster): ChaosNodeState[] {
  const cfg = cluster.membership.committedConfig() ?? cluster.leader()?.proc.raft?.config ?? null;
  return [...cluster.servers.values()].map((s) => ({
    id: s.id,
    alive: s.alive,
    member: cfg !== null && (cfg.voters.includes(s.id) || cfg.learners.includes(s.id)),
    dbHash: s.alive && s.db ? s.db.hash() : null,
  }));
}

/**
 * One chaos run on a host that has just started its cluster: clients hammer a small key space while
 * faults are injected, then the cluster is healed and must converge. Everything — schedule,
 * clients, network — comes from the seed, so the same options give the same history to the
 * millisecond, headless or in the page.
 */
export function runChaosOn(host: Host, options: Partial<ChaosOptions>, monitor?: Monitor): ChaosRun {
  const opts: ChaosOptions = { ...defaultChaosOptions, ...options };
  const cluster = host.cluster;
  const agenda = new Agenda(host);
  setUp(host, agenda, opts.sqlMix === true);
  const prng = chaosPrng(opts.seed);
  const clients = new ChaosClients(host, agenda, opts);
  const faults: AppliedFault[] = [];
  const removed = new Set<string>();
  const start = cluster.now;
  if (opts.faults) {
    for (const f of opts.faults) {
      agenda.at(start + f.at, () => {
        if (!clients.done) faults.push(applyFault(host, f.action, removed));
      }, -1);
    }
  } else if (opts.faultEvery > 0) {
    const tick = () => {
      if (clients.done) return;
      faults.push(applyFault(host, randomFault(cluster, prng, removed), removed));
      agenda.at(cluster.now + prng.int(Math.ceil(opts.faultEvery / 2), Math.ceil(opts.faultEvery * 1.5)), tick, -1);
    };
    agenda.at(start + prng.int(1, opts.faultEvery), tick, -1);
  }
  clients.start();
  if (opts.sqlMix) startSqlMix(host, agenda, opts, () => clients.done);
  // Each operation ends by its timeout at the latest, so this bound is never the one that stops it.
  agenda.run(() => clients.done, start + opts.ops * (opts.timeout + 50) + 1);
  const faultsEnd = cluster.now;
  const converged = settle(host, agenda, removed, faults);
  monitor?.finish?.();
  const nodes = nodeStates(cluster);
  const hashes = new Set(nodes.filter((n) => n.alive && n.member).map((n) => n.dbHash));
  return {
    options: opts,
    history: clients.history,
    faults,
    faultsEnd,
    converged,
    end: cluster.now,
    nodes,
    hashesAgree: hashes.size === 1,
    violations: monitor?.violations() ?? [],
    events: cluster.world.eventCount,
  };
}

/** A chaos run on a fresh headless cluster with the page's default options, so the page can repeat it. */
export function runChaos(SQL: SqlJsStatic, options: Partial<ChaosOptions>, makeMonitor?: (c: Cluster) => Monitor): ChaosRun {
  const opts: ChaosOptions = { ...defaultChaosOptions, ...options };
  const cluster = new Cluster(SQL, { nodes: opts.nodes, seed: opts.seed });
  // Headless: nobody reads the event log, and appending to it is a measurable share of the run.
  cluster.world.logLimit = 0;
  try {
    return runChaosOn(clusterHost(cluster), opts, makeMonitor?.(cluster));
  } finally {
    cluster.dispose();
  }
}

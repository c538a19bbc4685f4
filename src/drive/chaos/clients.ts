import type { Statement } from '../../db/types';
import { Prng } from '../../sim/prng';
import type { Answer, ClientOp } from '../../cluster/types';
import type { Host } from '../host';
import type { Agenda } from './agenda';
import type { ChaosOp, ChaosOptions, ChaosOutcome, ChaosRequest } from './types';

export const KV_TABLE = 'CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER)';

export function keyName(i: number): string {
  return String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
}

function statement(key: string, req: ChaosRequest): Statement {
  switch (req.f) {
    case 'read':
      return { sql: 'SELECT v FROM kv WHERE k = ?', params: [key] };
    case 'upsert':
      return { sql: 'INSERT OR REPLACE INTO kv(k, v) VALUES (?, ?)', params: [key, req.value] };
    case 'update':
      return { sql: 'UPDATE kv SET v = ? WHERE k = ?', params: [req.value, key] };
    case 'cas':
      return { sql: 'UPDATE kv SET v = ? WHERE k = ? AND v = ?', params: [req.value, key, req.from] };
  }
}

/**
 * Which refusals prove that nothing was proposed. The cluster answers "not reachable (down)" before
 * sending anything, and "leader not found" only when the request never reached a node that
 * believed it led (ClientCall.sawLeader stayed false), so nothing can have been appended. Every
 * other error — a timeout, a leader lost mid-request, an overwritten entry (a duplicated forward
 * may have been proposed twice), a crash while retrying — leaves the outcome unknown.
 */
export function classify(answer: Answer): 'fail' | 'unknown' {
  if (answer.ok) throw new Error('classify takes a failed answer');
  return answer.problem.code === 'node-down' || answer.problem.code === 'no-leader' ? 'fail' : 'unknown';
}

function outcomeOf(req: ChaosRequest, answer: Answer): ChaosOutcome {
  if (!answer.ok) {
    const status = classify(answer);
    return { status, error: answer.error };
  }
  const r = answer.result.results[0];
  // A statement error is committed and fails the same way everywhere: it changed nothing.
  if (!r || r.error !== undefined) return { status: 'fail', error: r?.error ?? 'no result' };
  if (req.f === 'read') {
    const values = 'values' in r ? r.values : undefined;
    const v = values && values.length > 0 ? values[0][0] : null;
    return { status: 'ok', value: typeof v === 'number' ? v : null };
  }
  return { status: 'ok', rows: 'rows_affected' in r ? (r.rows_affected ?? 0) : 0 };
}

/**
 * Simulated clients: each has one request in flight at a time, sends it to a random node (so reads
 * at `none` land on followers, removed nodes and the wrong side of partitions alike), and waits a
 * moment after each answer before the next.
 */
export class ChaosClients {
  readonly history: ChaosOp[] = [];
  private issued = 0;
  private busy = 0;
  private nextValue = 1;
  /** The last value each client saw per key: what its cas expects. */
  private seen: Map<string, number | null>[];
  private keys: string[];
  /**
   * One stream per client: a client's choices depend only on its own past, not on the order in
   * which answers of one instant reach the clients (which differs between hosts).
   */
  private prngs: Prng[];

  constructor(
    private readonly host: Host,
    private readonly agenda: Agenda,
    private readonly opts: ChaosOptions,
  ) {
    this.prngs = Array.from({ length: opts.clients }, (_, c) => new Prng((Math.imul(opts.seed, 0x9e3779b1) ^ (0x27d4eb2f * (c + 1))) >>> 0));
    this.seen = Array.from({ length: opts.clients }, () => new Map());
    this.keys = Array.from({ length: opts.keys }, (_, i) => keyName(i));
  }

  get done(): boolean {
    return this.issued >= this.opts.ops && this.busy === 0;
  }

  start(): void {
    for (let c = 0; c < this.opts.clients; c++) this.later(c);
  }

  private later(client: number): void {
    this.agenda.at(this.host.cluster.now + this.prngs[client].int(1, 20), () => this.issue(client), client);
  }

  private choose(client: number, key: string): ChaosRequest {
    const { opts } = this;
    const prng = this.prngs[client];
    if (opts.levels.length > 0 && prng.float() < opts.readRatio) {
      return { f: 'read', level: opts.levels[prng.int(0, opts.levels.length - 1)] };
    }
    const value = this.nextValue++;
    const from = this.seen[client].get(key);
    const r = prng.float();
    // cas needs a value to compare with: `v = NULL` never matches, so no cas from nil.
    if (r < 0.3 && from !== undefined && from !== null) return { f: 'cas', from, value };
    return r < 0.65 ? { f: 'upsert', value } : { f: 'update', value };
  }

  private issue(client: number): void {
    if (this.issued >= this.opts.ops) return;
    this.issued++;
    this.busy++;
    const cluster = this.host.cluster;
    const ids = [...cluster.servers.keys()];
    const prng = this.prngs[client];
    const node = ids[prng.int(0, ids.length - 1)];
    const key = this.keys[prng.int(0, this.keys.length - 1)];
    const req = this.choose(client, key);
    const op: ChaosOp = {
      id: this.history.length,
      client,
      key,
      req,
      node,
      servedBy: null,
      call: cluster.now,
      return: Infinity,
      gaveUpAt: null,
      outcome: { status: 'unknown', error: 'no answer' },
    };
    this.history.push(op);
    const timeout = this.opts.timeout;
    const st = statement(key, req);
    const body: ClientOp =
      req.f === 'read'
        ? { op: 'query', req: { statements: [st], level: req.level, timeout } }
        : { op: 'execute', req: { statements: [st], transaction: false, queue: false, timeout } };
    this.host.request(node, body, (answer) => this.answered(op, answer), `${st.sql}  -- ${JSON.stringify(st.params)}`);
  }

  private answered(op: ChaosOp, answer: Answer): void {
    op.outcome = outcomeOf(op.req, answer);
    op.servedBy = answer.ok ? answer.node : null;
    const now = this.host.cluster.now;
    if (op.outcome.status === 'unknown') op.gaveUpAt = now;
    else op.return = now;
    if (op.outcome.status === 'ok') {
      const seen = this.seen[op.client];
      if (op.req.f === 'read') seen.set(op.key, op.outcome.value ?? null);
      else if ((op.outcome.rows ?? 0) > 0) seen.set(op.key, op.req.value);
    }
    this.busy--;
    this.later(op.client);
  }
}

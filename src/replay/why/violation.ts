import type { LogPoint } from '../../raft/reasons';
import { Collector } from './collector';
import { explainDecision } from './decisions';
import type { DecisionRef, History } from './history';
import type { Why, WhyTarget } from './types';

/** Each server's log as the decisions built it: index → term. */
type Logs = Map<string, number[]>;

interface Chain {
  commit?: DecisionRef;
  election?: DecisionRef;
  truncation?: DecisionRef;
  /** Two decisions that should never both happen (two leaders of a term, two entries at one index and term). */
  pair?: [DecisionRef, DecisionRef];
}

/**
 * "Why?" on a broken safety property (only the deliberately broken modes get here): replay the
 * recorded decisions up to the violation and find the chain that broke it — a commit of an entry
 * (by the old-term count, in the Figure 8 mode), the election of a leader whose log lacks it, the
 * truncation that overwrote it; or two leaders of one term, or two entries with one index and term.
 */
export function explainViolation(h: History, t: WhyTarget & { kind: 'violation' }): Why {
  const c = new Collector(h, t.seq + 1);
  const chain = findChain(h, t.seq + 1);
  c.rule({ kind: 'violation', invariant: t.invariant, node: t.node, seq: t.seq, ...twice(chain) });
  const parts = [chain.commit, chain.election, chain.truncation, ...(chain.pair ?? [])].filter((d): d is DecisionRef => d !== undefined);
  for (const d of parts.sort((a, b) => a.seq - b.seq)) explainDecision(c, d);
  const e = h.event(t.seq);
  return c.finish({ seq: t.seq, time: e?.time ?? 0, node: t.node });
}

function findChain(h: History, before: number): Chain {
  const logs: Logs = new Map();
  const committed = new Map<number, { term: number; by: DecisionRef }>();
  const leaders = new Map<number, DecisionRef>();
  const entries = new Map<string, DecisionRef>();
  const out: Chain = {};
  const logOf = (n: string) => logs.get(n) ?? (logs.set(n, []), logs.get(n)!);
  /** The first committed entry this log lacks or holds with another term. */
  const lacks = (log: number[]): { index: number; term: number; by: DecisionRef } | undefined => {
    for (const [index, c] of committed) if (log[index] !== undefined ? log[index] !== c.term : index >= log.length) return { index, ...c };
    return undefined;
  };
  for (const d of h.allDecisions()) {
    if (d.seq >= before) break;
    const r = d.reason;
    const log = logOf(d.node);
    switch (r.code) {
      case 'proposed': {
        log[r.index] = r.term;
        const key = `${r.index}:${r.term}`;
        const other = entries.get(key);
        if (other && other.node !== d.node && !out.pair) out.pair = [other, d];
        else entries.set(key, d);
        break;
      }
      case 'truncated':
        if (!out.truncation && r.removed.some((p) => committed.get(p.index)?.term === p.term)) {
          out.truncation = d;
          out.commit ??= committed.get(r.removed.find((p) => committed.get(p.index)?.term === p.term)!.index)!.by;
        }
        log.length = Math.min(log.length, r.from);
        break;
      case 'append-accepted':
        for (const a of r.appended) log[a.index] = a.term;
        break;
      case 'snapshot-installed':
        setAt(log, { index: r.index, term: r.term });
        break;
      case 'commit-by-quorum':
        for (let i = r.from + 1; i <= r.to; i++) if (!committed.has(i) && log[i] !== undefined) committed.set(i, { term: log[i], by: d });
        break;
      case 'election-won': {
        const twin = leaders.get(r.term);
        if (twin && twin.node !== d.node && !out.pair) out.pair = [twin, d];
        leaders.set(r.term, d);
        const missing = out.election ? undefined : lacks(log);
        if (missing) {
          out.election = d;
          out.commit ??= missing.by;
        }
        break;
      }
    }
  }
  return out;
}

/** For two leaders of one term, the servers whose votes both of them counted. */
function twice(chain: Chain): { twice?: { term: number; voters: string[]; leaders: [string, string] } } {
  const [a, b] = chain.pair ?? [];
  if (!a || !b || a.reason.code !== 'election-won' || b.reason.code !== 'election-won') return {};
  const other = b.reason.granted;
  const voters = a.reason.granted.filter((v) => other.includes(v));
  return { twice: { term: a.reason.term, voters, leaders: [a.node, b.node] } };
}

function setAt(log: number[], p: LogPoint): void {
  if (log[p.index] !== p.term) log.length = p.index;
  log[p.index] = p.term;
}

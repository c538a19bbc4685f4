import { formatMs, roundMs } from '../../sim/duration';
import { entryAt, heartbeatsBeforeTimeout, resolveRef, vouched, type Fact, type Moment } from './facts';

/**
 * Tour text is a template filled from the cluster at the moment the step is shown, so it can only
 * name the servers, terms and indexes the learner actually sees:
 *   {leader}  {$old}  {n3}            a server's id ("leader" is whoever leads at that moment)
 *   {leader.term}  {$old.term}        its current term (also .commit .applied .last .snapshot)
 *   {n2.log:3}                        the term of its entry at index 3
 *   {voters}  {majority}              how many servers vote, and how many make a majority
 *   {term}                            the highest term any live server has reached
 *   {candidates}                      the live candidates, "n1, n2 and n5"
 *   {heartbeat}  {electionTimeout}    the leader's heartbeat interval, the election timeout range
 *   {latency}  {roundTrip}            one message's delay now, and a request and its reply
 *   {beats}                           heartbeats a follower hears before its shortest timeout
 */
const PLACEHOLDER = /\{([$\w]+)(?:\.(\w+)(?::(\d+))?)?\}/g;

export interface Rendered {
  text: string[];
  /** Placeholders that had no value (no leader, an unbound name): the text would be false. */
  missing: string[];
}

const TIMING = new Set(['heartbeat', 'electionTimeout', 'latency', 'roundTrip', 'beats']);

function range(lo: number, hi: number): string {
  return lo === hi ? formatMs(lo) : `${roundMs(lo)}–${formatMs(hi)}`;
}

function timingText(name: string, m: Moment): string | null {
  const { latencyMin, latencyMax } = m.frame.net;
  if (name === 'latency') return range(latencyMin, latencyMax);
  if (name === 'roundTrip') return range(2 * latencyMin, 2 * latencyMax);
  const t = m.timing;
  if (!t) return null;
  if (name === 'heartbeat') return formatMs(t.heartbeat);
  if (name === 'electionTimeout') return range(t.electionTimeout[0], t.electionTimeout[1]);
  return String(heartbeatsBeforeTimeout(m));
}

function fill(name: string, prop: string | undefined, arg: string | undefined, m: Moment): string | null {
  const voters = m.frame.nodes.filter((n) => n.membership === 'voter').length;
  if (name === 'voters' && !prop) return String(voters);
  if (name === 'majority' && !prop) return String(Math.floor(voters / 2) + 1);
  if (name === 'term' && !prop) return String(Math.max(0, ...m.frame.nodes.filter((n) => n.alive).map((n) => n.term)));
  if (!prop && TIMING.has(name)) return timingText(name, m);
  if (name === 'candidates' && !prop) {
    const ids = m.frame.nodes.filter((n) => n.alive && (n.role === 'candidate' || n.role === 'precandidate')).map((n) => n.id);
    return ids.length === 0 ? null : ids.length === 1 ? ids[0] : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
  }
  const n = resolveRef(name, m);
  if (!n) return null;
  switch (prop) {
    case undefined:
      return n.id;
    case 'term':
      return String(n.term);
    case 'commit':
      return String(n.commitIndex);
    case 'applied':
      return String(n.lastApplied);
    case 'last':
      return String(n.lastIndex);
    case 'snapshot':
      return String(n.snapshotIndex);
    case 'log': {
      const c = arg === undefined ? null : entryAt(n, Number(arg));
      return c ? String(c.entry.term) : null;
    }
    default:
      return null;
  }
}

export function render(text: readonly string[], m: Moment): Rendered {
  const missing: string[] = [];
  const out = text.map((p) =>
    p.replace(PLACEHOLDER, (whole, name: string, prop: string | undefined, arg: string | undefined) => {
      const v = fill(name, prop, arg, m);
      if (v === null) missing.push(whole);
      return v ?? '…';
    }),
  );
  return { text: out, missing };
}

/** Servers, terms and indexes a text names: "n3", "term 2", "T2", "index 3", "indexes 3 and 4". */
export function mentions(text: string): { nodes: string[]; terms: number[]; indexes: number[] } {
  const nodes = [...text.matchAll(/\bn\d+\b/g)].map((x) => x[0]);
  const terms = [...text.matchAll(/\b(?:terms?|T)\s?(\d+)\b/g)].map((x) => Number(x[1]));
  const indexes = [...text.matchAll(/\bindex(?:es)?\s(\d+)(?:(?:,|\sand|\sto|–)\s?(\d+))?/g)].flatMap((x) => [Number(x[1]), ...(x[2] ? [Number(x[2])] : [])]);
  return { nodes, terms, indexes };
}

/** The template with its placeholders taken out: what it names literally. */
export function literalMentions(text: readonly string[]) {
  return mentions(text.map((p) => p.replace(PLACEHOLDER, '◇')).join('\n'));
}

/**
 * What a step's template names literally but no fact vouches for: a server, a term or an index
 * written into the prose instead of read from the cluster or declared as a fact the runner checks.
 */
export function unvouched(text: readonly string[], facts: readonly Fact[] | undefined, binds: Readonly<Record<string, string>> | undefined): string[] {
  const lit = literalMentions(text);
  const ok = { nodes: new Set<string>(), terms: new Set<number>(), indexes: new Set<number>() };
  for (const f of facts ?? []) {
    const v = vouched(f);
    v.nodes.forEach((n) => ok.nodes.add(n));
    v.terms.forEach((t) => ok.terms.add(t));
    v.indexes.forEach((i) => ok.indexes.add(i));
  }
  for (const ref of Object.values(binds ?? {})) ok.nodes.add(ref);
  return [
    ...lit.nodes.filter((n) => !ok.nodes.has(n)).map((n) => `server ${n}`),
    ...lit.terms.filter((t) => !ok.terms.has(t)).map((t) => `term ${t}`),
    ...lit.indexes.filter((i) => !ok.indexes.has(i)).map((i) => `index ${i}`),
  ];
}

/** What the shown text names that the cluster on screen does not have (a server, a term, an index). */
export function contradictions(shown: readonly string[], m: Moment): string[] {
  const { nodes, terms, indexes } = mentions(shown.join('\n'));
  const ids = new Set(m.frame.nodes.map((n) => n.id));
  const seenTerms = new Set<number>();
  let maxIndex = 0;
  for (const n of m.frame.nodes) {
    seenTerms.add(n.term);
    for (let c = n.log; c; c = c.prev) seenTerms.add(c.entry.term);
    maxIndex = Math.max(maxIndex, n.lastIndex);
  }
  return [
    ...nodes.filter((n) => !ids.has(n)).map((n) => `names ${n}, which is not a server here`),
    ...terms.filter((t) => !seenTerms.has(t)).map((t) => `names term ${t}, which no server or entry has`),
    ...indexes.filter((i) => i > maxIndex).map((i) => `names index ${i}, beyond every log`),
  ];
}

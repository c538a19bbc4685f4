import type { PersistentState } from '../raft/log';
import type { Entry, Role } from '../raft/types';
import { IndexedList } from './sharedList';

export type Invariant =
  | 'Election Safety'
  | 'Leader Append-Only'
  | 'Log Matching'
  | 'Leader Completeness'
  | 'State Machine Safety';

export const INVARIANTS: Invariant[] = [
  'Election Safety',
  'Leader Append-Only',
  'Log Matching',
  'Leader Completeness',
  'State Machine Safety',
];

export interface Violation {
  invariant: Invariant;
  at: number;
  event: number;
  node: string;
  detail: string;
}

/**
 * What the monitor reads of a server: its persisted state, and its role and term while it runs.
 * A ServerNode is one.
 */
export interface MonitoredServer {
  readonly id: string;
  /** The node's database, when it is up: State Machine Safety compares their content hashes. */
  readonly db: { hash(): string } | null;
  readonly proc: {
    readonly storage: PersistentState;
    readonly raft: { readonly role: Role; readonly term: number } | null;
  };
}

/**
 * What the monitor reads of a cluster: its servers, the clock, and the applies and events it is told
 * of. A Cluster is one; a test can hand-build one to feed the checks states no correct run reaches.
 */
export interface MonitoredCluster {
  readonly world: { readonly now: number; readonly eventCount: number };
  readonly servers: ReadonlyMap<string, MonitoredServer>;
  observe(o: { onApply?(server: MonitoredServer, entry: Entry): void; onEvent?(): void }): void;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return a === b || (a.index === b.index && a.term === b.term && a.kind === b.kind && a.data === b.data);
}

type TipOf = { term: number; index: number; entry: Entry | undefined };
/**
 * Two logs last found to match at `at`, identical below it, when their `edits` were `ex` / `ey` and
 * they held `atX` / `atY` there. While all of that is unchanged only what was appended above `at`
 * is read again: a check after every event walked every pair's whole overlap.
 */
type PairMatch = { x: PersistentState; y: PersistentState; ex: number; ey: number; at: number; atX: Entry; atY: Entry };
type LogTip = { last: number; entry: Entry | undefined; snap: number };

/** A SafetyMonitor's state as `mark()` records it. */
export interface MonitorMark {
  readonly found: number;
  readonly statesChecked: number;
  readonly leaderOfTerm: number;
  readonly applied: number;
  readonly knownLeaders: number;
  readonly hashes: number;
  readonly leaderTip: readonly (readonly [string, TipOf])[];
  readonly tips: readonly (readonly [string, LogTip])[];
  readonly dirty: readonly string[];
  readonly sinceFull: number;
}

/** The first `n` items of an iterable that only ever grows at its end. */
function* prefix<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const x of items) {
    yield x;
    if (++i >= n) return;
  }
}

/**
 * Raft's five safety properties (Figure 3 of the paper), checked after every event. The pairwise
 * Log Matching scan only looks at logs that changed (and at all of them at the end); a caller that
 * needs speed over immediacy can run it every `fullCheckEvery` events instead.
 */
export class SafetyMonitor {
  readonly found: Violation[] = [];
  statesChecked = 0;
  private leaderOfTerm = new Map<number, string>();
  private leaderTip = new Map<string, { term: number; index: number; entry: Entry | undefined }>();
  /** The first entry applied at each index (IndexedList: a fork shares it, not copies it). */
  private applied = new IndexedList<Entry>();
  private knownLeaders = new Set<string>();
  private sinceFull = 0;
  /** Last log tip seen per node: Log Matching is re-checked only for logs that changed. */
  private tips = new Map<string, { last: number; entry: Entry | undefined; snap: number }>();
  private dirty = new Set<string>();
  /** The first database hash seen after each sampled applied index, and who had it. */
  private hashes = new IndexedList<{ index: number; node: string; hash: string }>();
  /**
   * Per pair of nodes (by the first's id, then the second's), where their logs last matched (see
   * PairMatch); only makes checks cheaper. Not keyed by a text of both ids, and each pair's record
   * updated in place: the scan runs after nearly every step, and the keys and records it made were
   * a twentieth of all a recorded 9-node run allocated.
   */
  private matched = new Map<string, Map<string, PairMatch>>();

  /**
   * `hashEvery`: compare database content (dbHash) after every applied index that is a multiple of
   * it; 0 turns the content check off. Hashing reads every row, so large pages may sample.
   */
  constructor(
    private readonly cluster: MonitoredCluster,
    private readonly fullCheckEvery = 1,
    private readonly maxReports = 20,
    private readonly hashEvery = 1,
  ) {
    cluster.observe({ onApply: (s, e) => this.onApply(s, e), onEvent: () => this.check() });
  }

  violations(): Violation[] {
    return this.found;
  }

  /**
   * Where the monitor stands, cheaply: the found list and the maps that only ever grow are kept as
   * their sizes (a later state of the same run starts with the same entries), the small per-node
   * ones are copied (their values are replaced, never changed).
   */
  mark(): MonitorMark {
    return {
      found: this.found.length,
      statesChecked: this.statesChecked,
      leaderOfTerm: this.leaderOfTerm.size,
      applied: this.applied.size,
      knownLeaders: this.knownLeaders.size,
      hashes: this.hashes.size,
      leaderTip: [...this.leaderTip],
      tips: [...this.tips],
      dirty: [...this.dirty],
      sinceFull: this.sinceFull,
    };
  }

  /** Continue from `m`, a mark of `source` or of a monitor whose run agreed with it up to there. */
  resume(source: SafetyMonitor, m: MonitorMark): void {
    this.found.length = 0;
    this.found.push(...source.found.slice(0, m.found));
    this.statesChecked = m.statesChecked;
    this.leaderOfTerm = new Map(prefix(source.leaderOfTerm, m.leaderOfTerm));
    this.applied = source.applied.prefix(m.applied);
    this.knownLeaders = new Set(prefix(source.knownLeaders, m.knownLeaders));
    this.hashes = source.hashes.prefix(m.hashes);
    this.leaderTip = new Map(m.leaderTip);
    this.tips = new Map(m.tips);
    this.dirty = new Set(m.dirty);
    this.sinceFull = m.sinceFull;
    this.matched = new Map();
  }

  finish(): void {
    this.checkLogMatching(true);
  }

  private report(invariant: Invariant, node: string, detail: string): void {
    if (this.found.length >= this.maxReports) return;
    const w = this.cluster.world;
    this.found.push({ invariant, at: w.now, event: w.eventCount - 1, node, detail });
  }

  check(): void {
    this.statesChecked++;
    for (const s of this.cluster.servers.values()) {
      const st = s.proc.storage;
      const tip = this.tips.get(s.id);
      const entry = st.entry(st.lastIndex);
      if (!tip || tip.last !== st.lastIndex || tip.entry !== entry || tip.snap !== st.snapshot.index) {
        this.tips.set(s.id, { last: st.lastIndex, entry, snap: st.snapshot.index });
        this.dirty.add(s.id);
      }
      const raft = s.proc.raft;
      if (!raft || raft.role !== 'leader') continue;
      this.checkElection(s, raft.term);
      this.checkAppendOnly(s, raft.term);
    }
    if (this.dirty.size > 0 && ++this.sinceFull >= this.fullCheckEvery) {
      this.sinceFull = 0;
      this.checkLogMatching();
    }
  }

  private checkElection(s: MonitoredServer, term: number): void {
    const prev = this.leaderOfTerm.get(term);
    if (prev === undefined) {
      this.leaderOfTerm.set(term, s.id);
      this.checkCompleteness(s);
    } else if (prev !== s.id) {
      this.report('Election Safety', s.id, `${prev} and ${s.id} are both leader in term ${term}`);
    }
  }

  private checkAppendOnly(s: MonitoredServer, term: number): void {
    const st = s.proc.storage;
    const tip = this.leaderTip.get(s.id);
    if (tip && tip.term === term && tip.entry && tip.index > st.snapshot.index) {
      const now = st.entry(tip.index);
      if (tip.index > st.lastIndex || !now || !sameEntry(now, tip.entry)) {
        this.report('Leader Append-Only', s.id, `leader ${s.id} of term ${term} lost or overwrote its entry ${tip.index}`);
      }
    }
    this.leaderTip.set(s.id, { term, index: st.lastIndex, entry: st.entry(st.lastIndex) });
  }

  /** A new leader must hold every entry that some node has applied (i.e. that was committed). */
  private checkCompleteness(s: MonitoredServer): void {
    const key = `${s.id}@${s.proc.storage.term}`;
    if (this.knownLeaders.has(key)) return;
    this.knownLeaders.add(key);
    const st = s.proc.storage;
    for (const e of this.applied) {
      const index = e.index;
      if (index <= st.snapshot.index) continue;
      const mine = st.entry(index);
      if (!mine || !sameEntry(mine, e)) {
        this.report('Leader Completeness', s.id, `leader ${s.id} of term ${st.term} lacks committed entry ${index} (term ${e.term})`);
        return;
      }
    }
  }

  private onApply(s: MonitoredServer, e: Entry): void {
    const prev = this.applied.get(e.index);
    if (!prev) this.applied.add(e);
    else if (!sameEntry(prev, e)) {
      this.report('State Machine Safety', s.id, `${s.id} applied a different command at index ${e.index} (term ${e.term} vs ${prev.term})`);
      return;
    }
    this.checkContent(s, e.index);
  }

  /**
   * State Machine Safety on content: the same commands applied in the same order must give the
   * same database. Two nodes that applied up to the same index with different dbHash diverged,
   * even though their logs agree (non-deterministic SQL, state a snapshot did not carry).
   */
  private checkContent(s: MonitoredServer, index: number): void {
    if (this.hashEvery <= 0 || index % this.hashEvery !== 0 || !s.db) return;
    const hash = s.db.hash();
    const seen = this.hashes.get(index);
    if (!seen) this.hashes.add({ index, node: s.id, hash });
    else if (seen.hash !== hash) {
      this.report(
        'State Machine Safety',
        s.id,
        `${s.id} and ${seen.node} applied the same log up to index ${index} but hold different databases (dbHash ${hash} vs ${seen.hash})`,
      );
    }
  }

  /** If two logs hold an entry with the same index and term, the logs are identical up to it. */
  checkLogMatching(all = false): void {
    const logs = [...this.cluster.servers.values()];
    const dirty = this.dirty;
    this.dirty = new Set();
    for (let a = 0; a < logs.length; a++) {
      let pairs = this.matched.get(logs[a].id);
      for (let b = a + 1; b < logs.length; b++) {
        if (!all && !dirty.has(logs[a].id) && !dirty.has(logs[b].id)) continue;
        const x = logs[a].proc.storage;
        const y = logs[b].proc.storage;
        const lo = Math.max(x.snapshot.index, y.snapshot.index) + 1;
        const hi = Math.min(x.lastIndex, y.lastIndex);
        const known = pairs?.get(logs[b].id);
        // At and below `floor` the logs are known to match, identical (PairMatch).
        const floor =
          known && known.x === x && known.y === y && known.ex === x.edits && known.ey === y.edits && known.at >= lo && known.at <= hi && x.entry(known.at) === known.atX && y.entry(known.at) === known.atY ? known.at : lo - 1;
        let matched = false;
        let at = floor;
        for (let i = hi; i > floor; i--) {
          const ex = x.entry(i)!;
          const ey = y.entry(i)!;
          if (!matched) {
            matched = ex.term === ey.term;
            if (matched) at = i;
            if (matched && !sameEntry(ex, ey)) {
              this.report('Log Matching', logs[a].id, `${logs[a].id} and ${logs[b].id} hold different entries at ${i} in term ${ex.term}`);
              return;
            }
          } else if (!sameEntry(ex, ey)) {
            this.report('Log Matching', logs[a].id, `${logs[a].id} and ${logs[b].id} agree at a later index but differ at ${i}`);
            return;
          }
        }
        if (at >= lo) {
          if (known) {
            known.x = x;
            known.y = y;
            known.ex = x.edits;
            known.ey = y.edits;
            known.at = at;
            known.atX = x.entry(at)!;
            known.atY = y.entry(at)!;
          } else {
            if (!pairs) this.matched.set(logs[a].id, (pairs = new Map()));
            pairs.set(logs[b].id, { x, y, ex: x.edits, ey: y.edits, at, atX: x.entry(at)!, atY: y.entry(at)! });
          }
        } else pairs?.delete(logs[b].id);
      }
    }
  }
}

import type { LogPoint, MatchOf, Reason, ReasonOf } from '../../raft/reasons';

/**
 * The reasons a run takes by the thousand (a follower's accepted appends, commits and applies, a
 * leader's proposals and commits: 99.8% of a 9-node run's decisions) as a few 32-bit integers each
 * (a commit's matches spilled to a list beside them), so Why?'s
 * index keeps them in typed columns instead of objects (decisionTable.ts). Any other reason, or one
 * whose numbers do not fit (not an int32, appended entries that are not one term in a row), is kept
 * as the object it is. Decoding makes the same object again, its keys in the order the Raft core
 * writes them.
 */
export const SLOTS = 7;

/** Codes the table stores as numbers; 0 is "kept as an object". */
export const CODED = ['append-accepted', 'applied', 'commit-by-leader', 'proposed', 'commit-by-quorum'] as const;
type Coded = (typeof CODED)[number];

/** The slots each coded reason takes (from slot 0): a table keeps only these. */
export const SLOTS_OF: Readonly<Record<Coded, number>> = { 'append-accepted': 7, applied: 3, 'commit-by-leader': 5, proposed: 3, 'commit-by-quorum': 7 };

const KINDS = ['noop', 'command', 'config'] as const;

/** Numbers out, node ids through `nodeOf`; false when this reason does not fit its slots. */
export type Put = (slot: number, v: number) => boolean;

/** Where the numbers that do not fit slots go (a count of them in a slot): the place of the first. */
export type Spill = (values: readonly number[]) => number;

/** Whether `v` fits the spilled list (a Uint32Array). */
const spillable = (v: number) => Number.isInteger(v) && v >= 0 && v < 2 ** 32;

/** Write `r`'s fields to `put` (and `spill`); false (and nothing to rely on written) when it must be kept whole. */
export function encode(r: Reason, put: Put, nodeOf: (id: string) => number, spill: Spill): boolean {
  switch (r.code) {
    case 'applied':
      return put(0, r.from) && put(1, r.to) && put(2, r.commitIndex);
    case 'commit-by-leader':
      return put(0, r.from) && put(1, r.to) && put(2, nodeOf(r.leader)) && put(3, r.leaderCommit) && put(4, r.lastNew);
    case 'proposed': {
      const kind = KINDS.indexOf(r.kind);
      return kind >= 0 && put(0, r.index) && put(1, r.term) && put(2, kind);
    }
    case 'append-accepted': {
      const a = r.appended;
      const term = a.length > 0 ? a[0].term : 0;
      for (let i = 0; i < a.length; i++) if (a[i].index !== r.prev.index + 1 + i || a[i].term !== term) return false;
      return put(0, nodeOf(r.leader)) && put(1, r.term) && put(2, r.prev.index) && put(3, r.prev.term) && put(4, a.length) && put(5, term) && put(6, r.matchIndex);
    }
    case 'commit-by-quorum': {
      // Each voter's match, in the voters' order: the spilled list holds node, matchIndex, node, ...
      const { matches, voters } = r;
      if (matches.length !== voters.length || !spillable(r.quorum)) return false;
      const values: number[] = [];
      for (let i = 0; i < voters.length; i++) {
        if (matches[i].node !== voters[i] || !spillable(matches[i].matchIndex)) return false;
        values.push(nodeOf(voters[i]), matches[i].matchIndex);
      }
      const fixed = put(0, r.from) && put(1, r.to) && put(2, r.term) && put(3, r.entryTerm) && put(4, r.quorum * 2 + (r.currentTerm ? 1 : 0)) && put(5, voters.length);
      return fixed && put(6, spill(values));
    }
    default:
      return false;
  }
}

/** The reason `encode` wrote, with code `code`, read back through `get` and `nodeAt`. */
export function decode(code: Coded, get: (slot: number) => number, nodeAt: (n: number) => string, spilled: (i: number) => number): Reason {
  switch (code) {
    case 'applied':
      return { code, from: get(0), to: get(1), commitIndex: get(2) } satisfies ReasonOf<'applied'>;
    case 'commit-by-leader':
      return { code, from: get(0), to: get(1), leader: nodeAt(get(2)), leaderCommit: get(3), lastNew: get(4) } satisfies ReasonOf<'commit-by-leader'>;
    case 'proposed':
      return { code, index: get(0), term: get(1), kind: KINDS[get(2)] } satisfies ReasonOf<'proposed'>;
    case 'append-accepted': {
      const prev = { index: get(2), term: get(3) };
      const appended: LogPoint[] = [];
      for (let i = 0; i < get(4); i++) appended.push({ index: prev.index + 1 + i, term: get(5) });
      return { code, leader: nodeAt(get(0)), term: get(1), prev, appended, matchIndex: get(6) } satisfies ReasonOf<'append-accepted'>;
    }
    case 'commit-by-quorum': {
      const at = get(6);
      const matches: MatchOf[] = [];
      const voters: string[] = [];
      for (let i = 0; i < get(5); i++) {
        const node = nodeAt(spilled(at + 2 * i));
        matches.push({ node, matchIndex: spilled(at + 2 * i + 1) });
        voters.push(node);
      }
      const q = get(4);
      return { code, from: get(0), to: get(1), term: get(2), entryTerm: get(3), currentTerm: q % 2 === 1, matches, voters, quorum: q >> 1 } satisfies ReasonOf<'commit-by-quorum'>;
    }
  }
}

/** Whether `v` fits an Int32Array slot exactly. */
export function fitsInt32(v: number): boolean {
  return (v | 0) === v;
}

import figure8Unsafe from '../../scenarios/06-figure8-unsafe.json?raw';
import doubleVoteUnsafe from '../../scenarios/20-double-vote-unsafe.json?raw';
import type { Invariant } from '../check/safety';
import type { SimOptions } from '../replay/simulation';

/**
 * The Raft rules raftlite can switch off on purpose, so the safety monitor has something to catch.
 * Each one is a Raft option (src/raft/types.ts) carried in SimOptions.tuning, which is also what a
 * share link, an exported run and the saved session hold: a broken run stays broken when reloaded.
 */
export type BrokenSwitch = 'unsafeCommitOldTerms' | 'unsafeDoubleVote';

export interface BrokenMode {
  readonly key: BrokenSwitch;
  /** The switch in the New-cluster dialog. */
  readonly label: string;
  /** One sentence: what goes wrong with the rule off. */
  readonly breaks: string;
  /** Short text of the toolbar badge. */
  readonly badge: string;
  /** The invariants the monitor reports when it goes wrong. */
  readonly catches: readonly Invariant[];
  /** A scenario file whose schedule makes it go wrong. */
  readonly demo: { readonly label: string; readonly text: string };
}

export const BROKEN_MODES: readonly BrokenMode[] = [
  {
    key: 'unsafeCommitOldTerms',
    label: 'Disable the current-term commit rule (Figure 8)',
    breaks:
      'A leader may then commit an entry of an older term just because a majority stores it; a later leader can still overwrite that entry, so a committed write is lost and nodes apply different commands at the same index (§5.4.2).',
    badge: 'commit rule off',
    catches: ['Leader Completeness', 'State Machine Safety'],
    demo: { label: 'Figure 8 with the rule off', text: figure8Unsafe },
  },
  {
    key: 'unsafeDoubleVote',
    label: 'Allow a node to vote twice in a term',
    breaks:
      'Two candidates standing in the same term can then both collect a majority, so the cluster has two leaders in one term (§5.2).',
    badge: 'double vote',
    catches: ['Election Safety'],
    demo: { label: 'A node that votes twice', text: doubleVoteUnsafe },
  },
];

/** The broken modes a run was started with. */
export function brokenModesOf(options: SimOptions): BrokenMode[] {
  return BROKEN_MODES.filter((m) => options.tuning?.[m.key] === true);
}

/** The same options with one switch set; a switch that is off is left out, as a scenario file would. */
export function withBrokenMode(options: SimOptions, key: BrokenSwitch, on: boolean): SimOptions {
  const tuning = { ...options.tuning };
  if (on) tuning[key] = true;
  else delete tuning[key];
  return { ...options, tuning };
}

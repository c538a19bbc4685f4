import type { ReadLevel } from '../../cluster/types';
import type { Highlight } from '../highlight';
import type { Fact, NodeRef } from './facts';
import type { SqlWant } from './sqlTask';

/** A part of the Raft paper or of Ongaro's dissertation, as listed in paper.ts. */
export interface Citation {
  doc: 'paper' | 'thesis';
  /** "§5.4.2", "Figure 2". */
  part: string;
  /** The PDF page the link opens (the paper only). */
  page?: number;
}

/** A link from the narration to where the idea is explained properly. */
export interface Ref {
  label: string;
  href: string;
  /** Set on every link into the paper or the dissertation (paper.ts). */
  cites?: Citation;
}

/**
 * Something the learner is asked to do, recognised from the inputs the store records. A `node` is an
 * id, "leader" or a bound "$name": "do it for me" acts on whoever that is at the moment, by role.
 */
export type Task =
  | { kind: 'kill' | 'restart' | 'isolate' | 'timeoutNow'; node?: string; prompt: string }
  /** Hand leadership to `node` (omitted: any follower the learner picks). */
  | { kind: 'transfer'; node?: string; prompt: string }
  | { kind: 'heal'; prompt: string }
  | { kind: 'snapshot' | 'remove'; node?: string; prompt: string }
  /** Add a server (the next free id); `voter` says how it must join, omitted: either way. */
  | { kind: 'join'; voter?: boolean; prompt: string }
  | { kind: 'partition'; prompt: string }
  | {
      kind: 'request';
      op: 'execute' | 'query';
      node?: string;
      level?: ReadLevel;
      /** What the SQL must do, judged on its tokens (sqlTask.ts). */
      sql?: SqlWant;
      prompt: string;
      /** What "do it for me" sends. */
      example: string;
      /**
       * Wait for the answer before moving on, and accept only one without any error (a typo in a
       * table name is explained, not taken). Off where the next step shows the request in flight.
       */
      confirm?: boolean;
    };

export interface TourStep {
  title: string;
  /**
   * Plain-text paragraphs (rendered as React text, never as HTML), as templates filled from the
   * cluster when the step is shown: {leader}, {$old.term}, {n2.log:3}… (see template.ts).
   */
  text: string[];
  /**
   * Servers to remember from this step's moment for later steps and tasks: { old: 'leader' } makes
   * "$old" the server leading now, whoever it is. Bound before `facts` are checked.
   */
  bind?: Record<string, NodeRef>;
  /** What the text relies on; checked when the step is shown (facts.ts). */
  facts?: Fact[];
  refs?: Ref[];
  /** How many more of the tour scenario's steps to run before this narration; the view plays up to where they end. */
  run?: number;
  highlight?: Highlight;
  task?: Task;
  /** Select this node ("leader" or "$name" allowed) so the Node tab shows it. */
  select?: NodeRef;
}

/** A scenario file (docs/scenario-format.md) and the narration that walks through it. */
export interface Tour {
  id: string;
  title: string;
  summary: string;
  scenario: {
    name: string;
    description: string;
    nodes: number;
    seed: number;
    options?: Record<string, unknown>;
    steps: Record<string, unknown>[];
  };
  steps: TourStep[];
  /** Playback speed while the tour plays between pauses. */
  speed?: number;
}

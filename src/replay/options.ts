import type { Scenario, ScenarioOptions } from '../drive/scenario/schema';
import { defaultRaftOptions } from '../raft/types';

export interface SimOptions {
  nodes: number;
  seed: number;
  electionTimeout: [number, number];
  latency: [number, number];
  preVote: boolean;
  /**
   * The rest of a scenario file's options (snapshot threshold, heartbeat, unsafe switches …), so a
   * scenario or tour builds the same cluster in the page as `npm run scenario` does headless.
   */
  tuning?: SimTuning;
}

export type SimTuning = Omit<ScenarioOptions, 'electionTimeout' | 'latency' | 'preVote'>;

/**
 * The page's options as a scenario's: the cluster is then built by the same function as headless.
 * The one default of the page's own: a heartbeat a third of the shortest election timeout (at least
 * 10 ms), so a cluster made slow in "New cluster…" keeps its leader; scenarios say 50 ms.
 */
export function scenarioOptionsOf(o: SimOptions): ScenarioOptions {
  const t = o.tuning ?? {};
  return { ...t, electionTimeout: o.electionTimeout, latency: o.latency, preVote: o.preVote, heartbeat: t.heartbeat ?? Math.max(10, Math.round(o.electionTimeout[0] / 3)) };
}

export const defaultSimOptions: SimOptions = {
  nodes: 5,
  seed: 1,
  electionTimeout: [150, 300],
  latency: [5, 15],
  preVote: true,
};

/** The page's options for a scenario: the same cluster the headless runner builds. */
export function simOptionsOf(s: Scenario): SimOptions {
  const { electionTimeout, latency, preVote, heartbeat, ...rest } = s.options;
  return {
    nodes: s.nodes,
    seed: s.seed,
    electionTimeout: electionTimeout ?? [defaultRaftOptions.electionTimeoutMin, defaultRaftOptions.electionTimeoutMax],
    latency: latency ?? [5, 15],
    preVote: preVote ?? true,
    // Scenarios say their heartbeat (50 ms unless set), not the page's default of a third of the timeout.
    tuning: { ...rest, heartbeat: heartbeat ?? defaultRaftOptions.heartbeatInterval },
  };
}

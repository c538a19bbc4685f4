import { describe, expect, it } from 'vitest';
import {
  converged,
  currentLeader,
  latestConfig,
  settledConfig,
  stableLeader,
  type Servers,
} from '../../src/cluster/oracle';
import type { ServerNode } from '../../src/cluster/server';
import type { ClusterConfig, Role } from '../../src/raft/types';

/**
 * The god's-eye questions (src/cluster/oracle.ts) on hand-set server states: which node counts as
 * leader, when it is stable, when the cluster has converged, and which membership to report.
 */

interface RaftView {
  role: Role;
  term: number;
  leaderId: string | null;
  config: ClusterConfig;
  configIndex: number;
  commitIndex: number;
  lastApplied: number;
  lastIndex: number;
  /** Term of each log index (index 1 first); index 0 has term 0. */
  terms: number[];
}

const three: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: [] };

function raft(over: Partial<RaftView>): RaftView {
  const terms = over.terms ?? [1, 1];
  return {
    role: 'follower',
    term: 1,
    leaderId: 'n1',
    config: three,
    configIndex: 0,
    commitIndex: terms.length,
    lastApplied: terms.length,
    lastIndex: terms.length,
    terms,
    ...over,
  };
}

/** Only what the oracle reads of a server: its id and its Raft state (null: down). */
function servers(states: Record<string, Partial<RaftView> | null>): Servers {
  const out = new Map<string, ServerNode>();
  for (const [id, st] of Object.entries(states)) {
    const r = st && raft(st);
    const view = r && { ...r, storage: { termAt: (i: number) => (i === 0 ? 0 : (r.terms[i - 1] ?? -1)) } };
    out.set(id, { id, proc: { raft: view } } as unknown as ServerNode);
  }
  return out;
}

const leads = (term = 1): Partial<RaftView> => ({ role: 'leader', term, leaderId: 'n1' });

describe('currentLeader', () => {
  it('is the leader in the highest term; a deposed leader still in an older term does not count', () => {
    const s = servers({
      n1: { ...leads(1), leaderId: 'n1' },
      n2: { role: 'leader', term: 2, leaderId: 'n2' },
      n3: { term: 2, leaderId: 'n2' },
    });
    expect(currentLeader(s)?.id).toBe('n2');
    const t = servers({
      n2: { role: 'leader', term: 2, leaderId: 'n2' },
      n1: leads(1),
      n3: { term: 2, leaderId: 'n2' },
    });
    expect(currentLeader(t)?.id).toBe('n2');
  });

  it('is nobody when no node leads, or when a member is already in a higher term (an election may depose it)', () => {
    expect(currentLeader(servers({ n1: {}, n2: {}, n3: null }))).toBeNull();
    expect(
      currentLeader(
        servers({ n1: leads(1), n2: { term: 1 }, n3: { role: 'candidate', term: 2, leaderId: null } }),
      ),
    ).toBeNull();
  });

  it('ignores the higher term of a server outside its configuration, and of a down one', () => {
    const removed = servers({
      n1: { ...leads(3), config: { voters: ['n1', 'n2'], learners: [] } },
      n2: { term: 3 },
      n3: { role: 'candidate', term: 9 },
    });
    expect(currentLeader(removed)?.id).toBe('n1');
    expect(currentLeader(servers({ n1: leads(3), n2: { term: 3 }, n3: null }))?.id).toBe('n1');
  });

  it('counts learners as members: a learner in a higher term means an election is under way', () => {
    const cfg = { voters: ['n1', 'n2'], learners: ['n3'] };
    expect(
      currentLeader(servers({ n1: { ...leads(2), config: cfg }, n2: { term: 2 }, n3: { term: 3 } })),
    ).toBeNull();
  });
});

describe('stableLeader', () => {
  it('is the leader once a majority of its voters (itself included) know it in its term', () => {
    expect(
      stableLeader(servers({ n1: leads(2), n2: { term: 2 }, n3: { term: 1, leaderId: null } }))?.id,
    ).toBe('n1');
    expect(
      stableLeader(servers({ n1: leads(2), n2: { term: 2, leaderId: null }, n3: { term: 1 } })),
    ).toBeNull();
    expect(stableLeader(servers({ n1: leads(2), n2: { term: 2, leaderId: 'n3' }, n3: null }))).toBeNull();
    expect(stableLeader(servers({ n1: {}, n2: {}, n3: {} }))).toBeNull();
  });

  it('counts only voters: learners that know the leader do not make a majority', () => {
    const cfg = { voters: ['n1', 'n2', 'n3'], learners: ['n4', 'n5'] };
    expect(
      stableLeader(
        servers({ n1: { ...leads(2), config: cfg }, n2: null, n3: null, n4: { term: 2 }, n5: { term: 2 } }),
      ),
    ).toBeNull();
  });
});

describe('a voter the cluster has no server for (not created yet) counts as down', () => {
  it('for stability and for convergence', () => {
    const cfg = { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] };
    const s = servers({
      n1: { ...leads(2), terms: [1, 2], config: cfg },
      n2: { term: 2, terms: [1, 2], config: cfg },
      n3: { term: 2, terms: [1, 2], config: cfg },
    });
    expect(stableLeader(s)?.id).toBe('n1');
    expect(converged(s)).toBe(true);
  });
});

describe('converged', () => {
  const all = (over: Partial<RaftView> = {}, l: Partial<RaftView> = {}) =>
    servers({
      n1: { ...leads(2), terms: [1, 2], ...l },
      n2: { term: 2, terms: [1, 2], ...over },
      n3: { term: 2, terms: [1, 2], ...over },
    });

  it('a stable leader that committed an entry of its term, and every member applied it', () => {
    expect(converged(all())).toBe(true);
  });

  it('not while the leader holds an uncommitted entry, or has committed none of its own term', () => {
    expect(converged(all({}, { terms: [1, 2, 2], lastIndex: 3, commitIndex: 2, lastApplied: 2 }))).toBe(
      false,
    );
    expect(converged(all({ terms: [1, 1] }, { terms: [1, 1] }))).toBe(false);
  });

  it('not while the leader or any member has yet to apply what is committed', () => {
    expect(converged(all({}, { lastApplied: 1 }))).toBe(false);
    expect(
      converged(
        servers({
          n1: { ...leads(2), terms: [1, 2] },
          n2: { term: 2, terms: [1, 2] },
          n3: { term: 2, terms: [1, 2], lastApplied: 1 },
        }),
      ),
    ).toBe(false);
  });

  it('a down member does not hold it back, and without a stable leader there is no convergence', () => {
    expect(
      converged(servers({ n1: { ...leads(2), terms: [1, 2] }, n2: { term: 2, terms: [1, 2] }, n3: null })),
    ).toBe(true);
    expect(converged(servers({ n1: { terms: [1, 2] }, n2: { terms: [1, 2] }, n3: { terms: [1, 2] } }))).toBe(
      false,
    );
  });

  it('a leader that removed itself still has to apply what it committed', () => {
    const without = { voters: ['n2', 'n3'], learners: [] };
    const s = servers({
      n1: { ...leads(2), terms: [1, 2], config: without, lastApplied: 1 },
      n2: { term: 2, terms: [1, 2], config: without },
      n3: { term: 2, terms: [1, 2], config: without },
    });
    expect(stableLeader(s)?.id).toBe('n1');
    expect(converged(s)).toBe(false);
  });

  it('a learner that lags holds it back too', () => {
    const cfg = { voters: ['n1', 'n2'], learners: ['n3'] };
    const s = servers({
      n1: { ...leads(2), terms: [1, 2], config: cfg },
      n2: { term: 2, terms: [1, 2], config: cfg },
      n3: { term: 2, terms: [1, 2], lastApplied: 0, config: cfg },
    });
    expect(converged(s)).toBe(false);
  });
});

describe('settledConfig and latestConfig', () => {
  const four: ClusterConfig = { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] };

  it('settled: the leader’s configuration once committed; the node furthest committed otherwise', () => {
    expect(
      settledConfig(
        servers({ n1: { ...leads(2), config: four, configIndex: 2 }, n2: { term: 2 }, n3: { term: 2 } }),
      ).voters,
    ).toHaveLength(4);
    // Not committed yet at the leader: the most committed live node's configuration.
    const pending = servers({
      n1: { ...leads(2), config: four, configIndex: 3, terms: [1, 2, 2], commitIndex: 1 },
      n2: { term: 2, commitIndex: 2 },
      n3: { term: 2, commitIndex: 1, config: four },
    });
    expect(settledConfig(pending)).toEqual(three);
    const byCommit = servers({ n1: null, n2: { commitIndex: 1, config: four }, n3: { commitIndex: 2 } });
    expect(settledConfig(byCommit)).toEqual(three);
    expect(settledConfig(servers({ n1: null }))).toEqual({ voters: [], learners: [] });
    // The leader's committed configuration, even when another node has a higher commit index.
    const ahead = servers({
      n1: { term: 2, leaderId: 'n2', commitIndex: 3 },
      n2: { role: 'leader', term: 2, leaderId: 'n2', config: four, configIndex: 2 },
      n3: { term: 2, leaderId: 'n2' },
    });
    expect(settledConfig(ahead)).toEqual(four);
  });

  it('latest: the leader’s newest configuration, committed or not; else the longest live log’s; null with every node down', () => {
    expect(
      latestConfig(
        servers({
          n1: { ...leads(2), config: four, configIndex: 3, terms: [1, 2, 2], commitIndex: 2 },
          n2: { term: 2 },
          n3: { term: 2 },
        }),
      ),
    ).toEqual(four);
    expect(
      latestConfig(servers({ n1: null, n2: { lastIndex: 3, config: four }, n3: { lastIndex: 2 } })),
    ).toEqual(four);
    expect(
      latestConfig(servers({ n1: null, n2: { lastIndex: 1, config: four }, n3: { lastIndex: 2 } })),
    ).toEqual(three);
    expect(latestConfig(servers({ n1: null, n2: null }))).toBeNull();
    // A new leader with a shorter log than a follower holding an old term's uncommitted change.
    const stale = servers({
      n1: { term: 3, leaderId: 'n2', lastIndex: 3, config: four },
      n2: { role: 'leader', term: 3, leaderId: 'n2', lastIndex: 2 },
      n3: { term: 3, leaderId: 'n2' },
    });
    expect(latestConfig(stale)).toEqual(three);
  });
});

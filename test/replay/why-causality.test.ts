import { beforeAll, describe, expect, it } from 'vitest';
import type { ReasonOf } from '../../src/raft/reasons';
import { causeWords, ruleWords, why, type DecisionRef, type History, type Rule, type Why } from '../../src/replay/why';
import { recordScenario } from '../helpers/recorded';

function decisionRules(w: Why): DecisionRef[] {
  return w.rules.flatMap((r: Rule) => (r.kind === 'decision' ? [r.decision] : []));
}

function ofCode<C extends DecisionRef['reason']['code']>(w: Why, code: C): DecisionRef & { reason: ReasonOf<C> } {
  const d = decisionRules(w).find((x) => x.reason.code === code);
  expect(d, `a ${code} rule`).toBeDefined();
  return d as DecisionRef & { reason: ReasonOf<C> };
}

describe('why a log cell is committed (Figure 2, Rules for Servers, Leaders; §5.4.2)', () => {
  let h: History;
  beforeAll(async () => {
    ({ history: h } = await recordScenario('02-replication.json'));
  });

  it("names a majority that includes the leader, the current-term rule, each holder's acknowledgement and the client request", () => {
    // The last command every node committed, asked about on a follower at the end of the run.
    const commits = h.allDecisions().filter((d) => d.reason.code === 'commit-by-quorum');
    const last = commits[commits.length - 1].reason as ReasonOf<'commit-by-quorum'>;
    const follower = last.voters.find((v) => v !== commits[commits.length - 1].node)!;
    const w = why(h, { kind: 'cell', node: follower, index: last.to, term: last.term, committed: true, before: h.end });
    const commit = ofCode(w, 'commit-by-quorum');
    const r = commit.reason;
    const holders = r.matches.filter((m) => m.matchIndex >= r.to).map((m) => m.node);
    expect(holders).toContain(commit.node);
    expect(holders.length).toBeGreaterThanOrEqual(r.quorum);
    expect(r.quorum).toBe(Math.floor(r.voters.length / 2) + 1);
    expect(r.currentTerm).toBe(true);
    expect(r.entryTerm).toBe(r.term);
    // The leader's rule comes first, in words built from the recorded values.
    expect(w.rules[0]).toMatchObject({ kind: 'decision', decision: commit });
    const words = ruleWords(w.rules[0], h);
    expect(words.text).toBe(`commitIndex moved to ${r.to}: ${holders.join(', ')} hold index ${r.to} (a majority of ${r.voters.length}) and entry ${r.to} is from the current term ${r.term}`);
    expect(words.section).toBe('Figure 2, Rules for Servers, Leaders; §5.4.2');
    // Every other holder's acknowledgement of the index is a cause, and so is the request.
    const acks = w.causes.filter((c) => c.role === 'ack').map((c) => h.event(c.seq)!);
    for (const holder of holders.filter((x) => x !== commit.node)) {
      expect(acks.some((e) => e.kind === 'deliver' && e.msg.type === 'AppendEntriesResp' && e.msg.from === holder && e.msg.success && e.msg.matchIndex >= r.to)).toBe(true);
    }
    const request = w.causes.find((c) => h.event(c.seq)?.kind === 'client');
    expect(request).toBeDefined();
    // The causal past holds the acknowledgements and the appends they answered.
    for (const a of w.causes.filter((c) => c.role === 'ack')) expect(w.past.messages.has(a.msgId!)).toBe(true);
    const appends = [...w.past.messages].map((id) => h.delivery(id)!).filter((e) => e.kind === 'deliver' && e.msg.type === 'AppendEntries');
    expect(appends.length).toBeGreaterThan(0);
  });
});

describe('why a leader won (§5.2)', () => {
  it('names the granted votes and the timeout that started the election', async () => {
    const { history: h } = await recordScenario('01-election.json');
    const role = h.events.all().find((e) => e.kind === 'role' && e.role === 'leader')!;
    const w = why(h, { kind: 'event', seq: role.seq });
    const won = ofCode(w, 'election-won');
    expect(won.node).toBe(role.node);
    expect(won.reason.granted.length).toBeGreaterThanOrEqual(won.reason.quorum);
    const votes = w.causes.filter((c) => c.role === 'vote').map((c) => h.event(c.seq)!);
    const voters = votes.map((e) => (e.kind === 'deliver' && e.msg.type === 'RequestVoteResp' && e.msg.granted ? e.msg.from : null));
    expect(voters.sort()).toEqual(won.reason.granted.filter((v) => v !== role.node).sort());
    const start = w.causes.find((c) => c.role === 'election-start' && h.event(c.seq)?.kind === 'timeout');
    expect(start, 'the election timeout').toBeDefined();
    expect(h.event(start!.seq)).toMatchObject({ kind: 'timeout', node: role.node, timer: 'election' });
    expect(start!.decision?.reason).toMatchObject({ code: 'election-timeout' });
    expect(causeWords(start!, h).label).toBe('election started by');
  });
});

describe('why a vote was refused (§5.4.1)', () => {
  it('compares the candidate’s last entry with the voter’s', async () => {
    const { history: h } = await recordScenario('04-leader-crash.json');
    const refusal = h.allDecisions().find((d) => d.reason.code === 'vote-refused' && d.reason.refusal.why === 'log-behind' && !d.reason.preVote)
      ?? h.allDecisions().find((d) => d.reason.code === 'vote-refused' && d.reason.refusal.why === 'log-behind')!;
    const r = refusal.reason as ReasonOf<'vote-refused'>;
    // Asked on the answer as it reaches the candidate.
    const answer = h.events.all().find(
      (e) => e.kind === 'deliver' && e.msg.type === 'RequestVoteResp' && !e.msg.granted && e.msg.from === refusal.node && e.msg.to === r.candidate && e.sentAfter === refusal.seq,
    )!;
    expect(answer).toBeDefined();
    const w = why(h, { kind: 'event', seq: answer.seq });
    const rule = ofCode(w, 'vote-refused');
    expect(rule.reason).toBe(r);
    const behind = r.candidateLast.term < r.voterLast.term || (r.candidateLast.term === r.voterLast.term && r.candidateLast.index < r.voterLast.index);
    expect(behind).toBe(true);
    const text = ruleWords({ kind: 'decision', decision: rule }, h).text;
    expect(text).toContain(`Its last entry ${r.candidateLast.index} is from term ${r.candidateLast.term}`);
    expect(text).toContain(`${refusal.node}'s last entry ${r.voterLast.index} is from term ${r.voterLast.term}`);
    expect(ruleWords({ kind: 'decision', decision: rule }, h).section).toBe('§5.4.1 Election restriction');
    // Where the voter's own last entry came from is a cause too.
    const placed = w.causes.find((c) => c.role === 'append');
    expect(placed?.decision).toBeDefined();
  });
});

describe('why a safety property broke: Figure 8 with the current-term rule switched off', () => {
  it('shows the chain from the old-term commit to the overwritten entry', async () => {
    const { history: h, violations } = await recordScenario('06-figure8-unsafe.json');
    const v = violations.find((x) => x.invariant === 'State Machine Safety')!;
    const w = why(h, { kind: 'violation', invariant: v.invariant, node: v.node, seq: v.event });
    expect(w.rules[0]).toMatchObject({ kind: 'violation', invariant: 'State Machine Safety' });
    const commit = ofCode(w, 'commit-by-quorum');
    const election = ofCode(w, 'election-won');
    const truncation = ofCode(w, 'truncated');
    // The commit counted replicas of an entry from an older term ...
    expect(commit.reason.currentTerm).toBe(false);
    expect(commit.reason.entryTerm).toBeLessThan(commit.reason.term);
    // ... a leader whose log lacked it won later, and its entry overwrote the committed one.
    const lost = truncation.reason.removed.find((p) => p.index <= commit.reason.to && p.index > commit.reason.from);
    expect(lost).toBeDefined();
    expect(truncation.reason.leader).toBe(election.node);
    expect(truncation.reason.by.index).toBe(lost!.index);
    expect(truncation.reason.by.term).not.toBe(lost!.term);
    expect(commit.seq).toBeLessThan(election.seq);
    expect(election.seq).toBeLessThan(truncation.seq);
    expect(truncation.seq).toBeLessThanOrEqual(v.event);
    expect(ruleWords({ kind: 'decision', decision: commit }, h).text).toContain(`entry ${commit.reason.to} is from term ${commit.reason.entryTerm}, not the current term ${commit.reason.term}`);
  });
});

describe('why Election Safety broke when a server may vote twice', () => {
  it('names the two leaders of one term and the servers that voted for both', async () => {
    const { history: h, violations } = await recordScenario('20-double-vote-unsafe.json');
    const v = violations.find((x) => x.invariant === 'Election Safety')!;
    const w = why(h, { kind: 'violation', invariant: v.invariant, node: v.node, seq: v.event });
    const rule = w.rules[0];
    if (rule.kind !== 'violation') throw new Error('the violation first');
    const wins = decisionRules(w).filter((d) => d.reason.code === 'election-won');
    expect(wins).toHaveLength(2);
    const [a, b] = wins.map((d) => d.reason as ReasonOf<'election-won'>);
    expect(a.term).toBe(b.term);
    expect(rule.twice?.leaders).toEqual([wins[0].node, wins[1].node]);
    expect(rule.twice?.voters.length).toBeGreaterThan(0);
    for (const voter of rule.twice!.voters) {
      expect(a.granted).toContain(voter);
      expect(b.granted).toContain(voter);
    }
    expect(ruleWords(rule, h).text).toContain(`voted for both ${wins[0].node} and ${wins[1].node} in term ${a.term}`);
  });
});

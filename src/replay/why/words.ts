import { problemText, type Problem } from '../../cluster/errors';
import type { Reason, VoteRefusal } from '../../raft/reasons';
import { describeEvent } from '../describe';
import type { History } from './history';
import type { Cause, CauseRole, Rule, WhyTarget } from './types';

/**
 * The sections a rule cites, by key of the page's reference table (store/tours/paper.ts: the paper,
 * the dissertation, rqlite's docs); the store resolves them to links.
 */
export type SectionKey =
  | 'fig2'
  | 'rsm'
  | 'basics'
  | 'election'
  | 'replication'
  | 'restriction'
  | 'oldTerms'
  | 'safety'
  | 'compaction'
  | 'clients'
  | 'crashes'
  | 'transfer'
  | 'checkQuorum'
  | 'preVote'
  | 'disruptive'
  | 'removeLeader'
  | 'singleServer'
  | 'retries'
  | 'consistency';

export interface RuleWords {
  readonly text: string;
  /** Where the rule is written, as the paper names it ("Figure 2, Rules for Servers, Leaders; §5.4.2"). */
  readonly section: string;
  readonly refs: readonly SectionKey[];
}

const list = (ids: readonly string[]) => (ids.length === 0 ? 'nobody' : ids.join(', '));
const range = (from: number, to: number) => (from === to ? `entry ${from}` : `entries ${from}–${to}`);

/** Every rule in plain words: the one place they are worded. */
export function ruleWords(rule: Rule, h: History): RuleWords {
  switch (rule.kind) {
    case 'decision':
      return reasonWords(rule.decision.node, rule.decision.reason);
    case 'input': {
      const e = h.event(rule.seq);
      if (e?.kind === 'timeout' && e.timer === 'heartbeat') return { text: `${e.node}'s heartbeat timer fired: a leader sends AppendEntries, empty or not, to every follower on this beat`, section: '§5.2', refs: ['election'] };
      if (e?.kind === 'drop') return { text: `The network did not deliver it (${e.reason}): nothing inside Raft decided that`, section: '§5.5', refs: ['basics'] };
      if (e?.kind === 'crash') return { text: `${e.node} crashed (an operator action or a fault): it is down, its volatile state lost`, section: '§5.5; Figure 2, persistent state', refs: ['crashes'] };
      if (e?.kind === 'restart') return { text: `${e.node} restarted: it comes back as a follower with its term, vote and log from its disk, and learns the rest from the leader`, section: '§5.5; Figure 2, persistent state', refs: ['crashes'] };
      if (e?.kind === 'client') return { text: 'A client request: an input to the run, not a consequence of it', section: '§8 Client interaction', refs: ['clients'] };
      return { text: 'An input to the run (an operator action, a fault, the start): nothing inside the run caused it', section: '§5.1', refs: ['basics'] };
    }
    case 'delivery': {
      const e = h.event(rule.seq);
      return { text: `The message reached ${e?.node ?? 'its receiver'}, which decided nothing new on it (a repeat, or an answer it no longer waited for)`, section: 'Figure 2', refs: ['fig2'] };
    }
    case 'problem':
      return problemWords(rule.node, rule.problem);
    case 'violation': {
      const t = rule.twice;
      const votes = t && t.voters.length > 0 ? `: ${list(t.voters)} voted for both ${t.leaders[0]} and ${t.leaders[1]} in term ${t.term}, and a server may vote once per term` : '';
      return {
        text: `${rule.invariant} broke on ${rule.node}${votes}. A deliberately broken mode let a decision through that Raft forbids; the decisions below are the chain that led here`,
        section: 'Figure 3; §5.4.3',
        refs: ['safety', 'oldTerms'],
      };
    }
  }
}

function reasonWords(node: string, r: Reason): RuleWords {
  switch (r.code) {
    case 'election-timeout':
      return r.preVote
        ? { text: `${node}'s election timer ran out at ${r.deadline} ms with no word from a leader${r.lastLeader ? ` (it last followed ${r.lastLeader})` : ''}: it asks for pre-votes for term ${r.term + 1}`, section: '§5.2; dissertation §9.6', refs: ['election', 'preVote'] }
        : { text: `${node}'s election timer ran out at ${r.deadline} ms with no word from a leader${r.lastLeader ? ` (it last followed ${r.lastLeader})` : ''}: it starts an election for term ${r.term + 1}`, section: 'Figure 2, Rules for Servers, Followers; §5.2', refs: ['fig2', 'election'] };
    case 'timeout-now':
      return { text: `${r.from} sent TimeoutNow to hand leadership over: ${node} starts an election for term ${r.term + 1} at once`, section: 'dissertation §3.10', refs: ['transfer'] };
    case 'prevote-won':
      return { text: `${list(r.granted)} granted the pre-vote for term ${r.term} (${r.granted.length} of ${r.voters.length} voters; a majority is ${r.quorum}): ${node} starts the real election`, section: 'dissertation §9.6', refs: ['preVote'] };
    case 'election-won':
      return { text: `${node} won term ${r.term}: ${list(r.granted)} voted for it (${r.granted.length} of ${r.voters.length} voters; a majority is ${r.quorum})`, section: 'Figure 2, Rules for Servers, Candidates; §5.2', refs: ['fig2', 'election'] };
    case 'became-follower':
      return followerWords(node, r);
    case 'vote-granted': {
      const what = r.preVote ? 'pre-vote' : 'vote';
      return {
        text: `${node} granted its ${what} to ${r.candidate} for term ${r.term}: ${r.candidate}'s log (last entry ${r.candidateLast.index}, term ${r.candidateLast.term}) is at least as up-to-date as its own (last entry ${r.voterLast.index}, term ${r.voterLast.term})${r.preVote ? '' : `, and it had not voted for another candidate in term ${r.term}`}`,
        section: 'Figure 2, RequestVote RPC; §5.4.1',
        refs: ['fig2', 'restriction'],
      };
    }
    case 'vote-refused':
      return voteRefusedWords(node, r);
    case 'vote-ignored':
      return { text: `${node} ignored ${r.candidate}'s request for term ${r.term}: it heard from its leader${r.leader ? ` ${r.leader}` : ''} ${r.heardAgo} ms ago, within the minimum election timeout`, section: 'dissertation §4.2.3', refs: ['disruptive'] };
    case 'append-accepted': {
      const check = r.prev.index === 0 ? 'nothing precedes index 1, so there is nothing to check' : `its entry at prevLogIndex ${r.prev.index} has term ${r.prev.term}, as the leader's does`;
      const added = r.appended.length > 0 ? `; it appended ${range(r.appended[0].index, r.appended[r.appended.length - 1].index)}` : '';
      return { text: `${node} accepted ${r.leader}'s AppendEntries: ${check}${added}; its log now matches the leader's up to ${r.matchIndex}`, section: 'Figure 2, AppendEntries RPC; §5.3', refs: ['fig2', 'replication'] };
    }
    case 'append-rejected': {
      const why =
        r.refusal.why === 'missing'
          ? `it has no entry at prevLogIndex ${r.prev.index} (its log ends at ${r.refusal.lastIndex})`
          : r.refusal.why === 'term-mismatch'
            ? `its entry at prevLogIndex ${r.prev.index} is from term ${r.refusal.termThere}, not ${r.prev.term}`
            : `the request's term ${r.term} is older than ${node}'s`;
      return { text: `${node} rejected ${r.leader}'s AppendEntries: ${why}; the leader will retry further back`, section: 'Figure 2, AppendEntries RPC 1–2; §5.3', refs: ['fig2', 'replication'] };
    }
    case 'truncated': {
      const last = r.removed[r.removed.length - 1]?.index ?? r.from;
      const terms = [...new Set(r.removed.map((p) => p.term))].join(', ');
      return { text: `${node} deleted ${range(r.from, last)} (term ${terms}): ${last === r.from ? 'it conflicts' : 'they conflict'} with ${r.leader}'s entry ${r.by.index} of term ${r.by.term}, and the leader's log wins`, section: 'Figure 2, AppendEntries RPC 3; §5.3', refs: ['fig2', 'replication'] };
    }
    case 'proposed':
      if (r.kind === 'noop') return { text: `${node}, new leader of term ${r.term}, appended a no-op at index ${r.index}: only an entry of its own term can commit the entries before it`, section: '§5.4.2; §8', refs: ['oldTerms', 'clients'] };
      if (r.kind === 'config') return { text: `${node}, leader of term ${r.term}, appended a configuration change at index ${r.index}, one server at a time`, section: 'dissertation §4.1', refs: ['singleServer'] };
      return { text: `${node}, leader of term ${r.term}, appended the client's command at index ${r.index} to its own log`, section: 'Figure 2, Rules for Servers, Leaders; §5.3', refs: ['fig2', 'replication'] };
    case 'commit-by-quorum': {
      const holders = r.matches.filter((m) => m.matchIndex >= r.to).map((m) => m.node);
      const hold = `${list(holders)} hold index ${r.to} (a majority of ${r.voters.length})`;
      if (r.currentTerm) return { text: `commitIndex moved to ${r.to}: ${hold} and entry ${r.to} is from the current term ${r.term}`, section: 'Figure 2, Rules for Servers, Leaders; §5.4.2', refs: ['fig2', 'oldTerms'] };
      return { text: `commitIndex moved to ${r.to}: ${hold}, but entry ${r.to} is from term ${r.entryTerm}, not the current term ${r.term}. Raft never commits an old-term entry by counting replicas; the broken mode did`, section: '§5.4.2 (Figure 8), rule switched off', refs: ['oldTerms'] };
    }
    case 'commit-by-leader':
      return { text: `${node} moved commitIndex from ${r.from} to ${r.to}: ${r.leader}'s leaderCommit is ${r.leaderCommit} and the last new entry it has from that leader is ${r.lastNew} (the smaller of the two)`, section: 'Figure 2, AppendEntries RPC 5', refs: ['fig2'] };
    case 'applied':
      return { text: `${node} applied ${range(r.from, r.to)} to its database: commitIndex ${r.commitIndex} had passed lastApplied ${r.from - 1}`, section: 'Figure 2, Rules for Servers, All Servers', refs: ['fig2', 'rsm'] };
    case 'snapshot-installed':
      return { text: `${node} installed ${r.leader}'s snapshot up to index ${r.index} (term ${r.term}): the leader had compacted the entries this server still needed`, section: '§7; Figure 13, InstallSnapshot RPC', refs: ['compaction'] };
    case 'snapshot-taken':
      return r.threshold === null
        ? { text: `The operator asked ${node} to compact its log: everything up to index ${r.index} (term ${r.term}) became one copy of its database`, section: '§7', refs: ['compaction'] }
        : { text: `${node} compacted its log up to index ${r.index} (term ${r.term}): it had applied ${r.threshold} entries since its last snapshot`, section: '§7', refs: ['compaction'] };
    case 'leader-transfer':
      return { text: `${node}, leader of term ${r.term}, began handing leadership to ${r.target}: it brings ${r.target}'s log up to date, then sends TimeoutNow`, section: 'dissertation §3.10', refs: ['transfer'] };
  }
}

function followerWords(node: string, r: Reason & { code: 'became-follower' }): RuleWords {
  const c = r.cause;
  const was = r.prevRole === 'follower' ? 'it stays a follower' : `it steps down from ${r.prevRole} to follower`;
  switch (c.why) {
    case 'higher-term':
      return { text: `${node} saw term ${r.term} in ${c.from}'s ${c.message} while in term ${c.oldTerm}: it takes the newer term and ${was}`, section: 'Figure 2, Rules for Servers, All Servers; §5.1', refs: ['fig2', 'basics'] };
    case 'leader-of-term':
      return { text: `${node} heard from ${c.from}, the leader of its own term ${r.term}: ${was}`, section: 'Figure 2, Rules for Servers, Candidates; §5.2', refs: ['fig2', 'election'] };
    case 'votes-refused':
      return { text: `${list(c.refused)} refused ${node} in term ${r.term} (a majority is ${c.quorum}): it cannot win, so ${was}`, section: '§5.2', refs: ['election'] };
    case 'check-quorum':
      return { text: `${node} heard from only ${list(c.heard)} within ${c.window} ms (${c.heard.length} of ${c.voters.length}; a majority is ${c.quorum}): it steps down rather than lead without a quorum`, section: 'dissertation §6.2', refs: ['checkQuorum'] };
    case 'removed':
      return { text: `${node}'s own removal (the configuration at index ${c.configIndex}) is committed: it steps down`, section: 'dissertation §4.2.2', refs: ['removeLeader'] };
  }
}

function voteRefusedWords(node: string, r: Reason & { code: 'vote-refused' }): RuleWords {
  const what = r.preVote ? 'pre-vote' : 'vote';
  const head = `${node} refused its ${what} to ${r.candidate} for term ${r.term}`;
  const f: VoteRefusal = r.refusal;
  switch (f.why) {
    case 'log-behind': {
      const cmp = r.candidateLast.term < r.voterLast.term ? `term ${r.candidateLast.term} is older than term ${r.voterLast.term}` : `same term, but ${r.candidateLast.index} < ${r.voterLast.index}`;
      return { text: `${head}: ${r.candidate}'s log is behind. Its last entry ${r.candidateLast.index} is from term ${r.candidateLast.term}; ${node}'s last entry ${r.voterLast.index} is from term ${r.voterLast.term} (${cmp})`, section: '§5.4.1 Election restriction', refs: ['restriction'] };
    }
    case 'already-voted':
      return { text: `${head}: it already voted for ${f.votedFor} in term ${r.voterTerm}, and a server votes once per term`, section: 'Figure 2, RequestVote RPC 2; §5.2', refs: ['fig2', 'election'] };
    case 'stale-term':
      return { text: `${head}: the request's term ${r.term} is older than ${node}'s term ${r.voterTerm}`, section: 'Figure 2, RequestVote RPC 1', refs: ['fig2'] };
    case 'no-newer-term':
      return { text: `${head}: a pre-vote is granted only for a term past ${node}'s own (${r.voterTerm})`, section: 'dissertation §9.6', refs: ['preVote'] };
    case 'is-leader':
      return { text: `${head}: ${node} leads term ${r.voterTerm} itself`, section: '§5.2', refs: ['election'] };
  }
}

function problemWords(node: string, p: Problem): RuleWords {
  const head = `${node} answered "${problemText(p)}"`;
  switch (p.code) {
    case 'stale':
      return { text: `${head}: it had not heard from a leader for ${p.age} ms, longer than the ${p.freshness} ms the read allowed`, section: 'rqlite read consistency: none with freshness', refs: ['consistency'] };
    case 'timeout':
    case 'leadership-lost':
      return { text: `${head}: the outcome is unknown — the write may still commit`, section: 'dissertation §6.3', refs: ['retries'] };
    case 'overwritten':
      return { text: `${head}: a newer leader's entry took the index of this write before it committed`, section: '§5.3; §8', refs: ['replication', 'clients'] };
    default:
      return { text: `${head}: only the leader takes writes and strong reads, and this server's state below is why it could not`, section: '§8 Client interaction', refs: ['clients'] };
  }
}

const CAUSE_LABEL: Record<CauseRole, string> = {
  trigger: 'triggered by',
  'sent-by': 'sent after',
  'election-start': 'election started by',
  vote: 'vote',
  ack: 'acknowledgement',
  proposal: 'entry created by',
  request: 'client request',
  commit: 'commit',
  election: 'leader elected by',
  append: 'entry placed by',
  truncation: 'overwritten by',
  heard: 'last answer',
  'last-contact': 'last heard',
  transfer: 'transfer begun by',
  'step-down': 'role set by',
  crash: 'down or restarted',
  fault: 'fault',
};

/**
 * One cause as a line of the panel: what it contributed, the decision it stands for (if any), and the
 * event in the event list's words.
 */
export function causeWords(c: Cause, h: History): { label: string; text: string; detail: string | null } {
  const e = h.event(c.seq);
  const event = e ? describeEvent(e) : `event ${c.seq}`;
  if (!c.decision) return { label: CAUSE_LABEL[c.role], text: event, detail: null };
  return { label: CAUSE_LABEL[c.role], text: briefly(c.decision.node, c.decision.reason), detail: event };
}

/** A decision in a few words, for a line in a list of causes. */
export function briefly(n: string, r: Reason): string {
  switch (r.code) {
    case 'election-timeout':
      return `${n}'s election timer ran out in term ${r.term}`;
    case 'timeout-now':
      return `${n} got TimeoutNow from ${r.from}`;
    case 'prevote-won':
      return `${n} won the pre-vote for term ${r.term}`;
    case 'election-won':
      return `${n} won the election of term ${r.term}`;
    case 'became-follower':
      return `${n} became a follower in term ${r.term}`;
    case 'vote-granted':
      return `${n} granted its ${r.preVote ? 'pre-vote' : 'vote'} to ${r.candidate} for term ${r.term}`;
    case 'vote-refused':
      return `${n} refused its ${r.preVote ? 'pre-vote' : 'vote'} to ${r.candidate} for term ${r.term}`;
    case 'vote-ignored':
      return `${n} ignored ${r.candidate}'s request for term ${r.term}`;
    case 'append-accepted':
      return r.appended.length > 0
        ? `${n} took ${range(r.appended[0].index, r.appended[r.appended.length - 1].index)} from ${r.leader}`
        : `${n} matched ${r.leader}'s log up to ${r.matchIndex}`;
    case 'append-rejected':
      return `${n} rejected ${r.leader}'s append at ${r.prev.index}`;
    case 'truncated':
      return `${n} deleted its log from index ${r.from}`;
    case 'proposed':
      return `${n} appended ${r.kind === 'noop' ? 'its no-op' : r.kind === 'config' ? 'a configuration' : 'a command'} at index ${r.index} (term ${r.term})`;
    case 'commit-by-quorum':
      return `${n} committed up to ${r.to}`;
    case 'commit-by-leader':
      return `${n} learnt commitIndex ${r.to} from ${r.leader}`;
    case 'applied':
      return `${n} applied ${range(r.from, r.to)}`;
    case 'snapshot-installed':
      return `${n} installed ${r.leader}'s snapshot up to ${r.index}`;
    case 'snapshot-taken':
      return `${n} took a snapshot up to ${r.index}`;
    case 'leader-transfer':
      return `${n} began handing leadership to ${r.target}`;
  }
}

/** What was asked about, in a few words: the panel's title. */
export function subjectWords(t: WhyTarget, h: History): string {
  switch (t.kind) {
    case 'event': {
      const e = h.event(t.seq);
      return e ? describeEvent(e) : `event ${t.seq}`;
    }
    case 'cell':
      return `${t.node}'s log entry ${t.index} (term ${t.term}${t.committed ? ', committed' : ', not committed'})`;
    case 'node':
      return `${t.node}'s role and term`;
    case 'answer':
      return `the answer from ${t.node}: ${problemText(t.problem)}`;
    case 'violation':
      return `${t.invariant} broken on ${t.node}`;
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import type { Arrow, Mark } from '../../src/replay/diagram/types';
import type { Simulation } from '../../src/replay/simulation';
import { runInPage } from '../helpers/pageRun';

const DIR = join(process.cwd(), 'scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await loadSqlJs();
});

function allArrows(m: DiagramModel): Arrow[] {
  return [...m.arrows, ...m.routineArrows, ...m.pending];
}

/** The diagram against what the world was asked to send and what the event log recorded. */
function checkModel(sim: Simulation, sends: readonly unknown[], model: DiagramModel): { duplicated: number; dropped: number } {
  const arrows = allArrows(model);
  // Exactly one arrow per copy put on the wire: group the copies by the send they came from.
  const bySend = new Map<number, Arrow[]>();
  for (const a of arrows) bySend.set(a.sendId, [...(bySend.get(a.sendId) ?? []), a]);
  expect(bySend.size).toBe(sends.length);
  const sendOrder = [...bySend.keys()].sort((a, b) => a - b);
  let duplicated = 0;
  sendOrder.forEach((id, i) => {
    const copies = bySend.get(id)!;
    // The arrows of the i-th send carry the very message object the world was given.
    for (const c of copies) expect(c.msg).toBe(sends[i]);
    expect(copies.length === 2).toBe(copies[0].duplicate);
    for (const c of copies) expect(c.duplicate).toBe(copies.length === 2);
    if (copies.length === 2) duplicated++;
  });
  expect(new Set(arrows.map((a) => a.msgId)).size).toBe(arrows.length);

  // Every delivery and drop of the log is one arrow that ended that way (a drop with its reason);
  // every message still queued is one pending arrow.
  const carried = sim.events.all().filter((e) => e.kind === 'deliver' || e.kind === 'drop');
  const logged = arrows.filter((a) => a.end !== 'pending');
  expect(logged.length).toBe(carried.length);
  for (const e of carried) {
    const a = model.arrow(e.msgId)!;
    expect(a.seq).toBe(e.seq);
    expect(a.end).toBe(e.kind === 'deliver' ? 'delivered' : 'dropped');
    expect(a.reason).toBe(e.kind === 'drop' ? e.reason : null);
    expect([a.from, a.to, a.sentAt, a.endAt]).toEqual([e.msg.from, e.msg.to, e.sentAt, e.time]);
  }
  expect(model.pending.length).toBe(sim.cluster.world.inFlight().length);
  for (const a of model.arrows) expect(a.routine).toBe(false);
  for (const a of model.routineArrows) expect(a.msg.type === 'AppendEntries' || (a.msg.type === 'AppendEntriesResp' && a.msg.success)).toBe(true);

  // Every other event of the log is exactly one mark, of its kind, on its server's lane.
  const marks: Mark[] = [...model.marks, ...model.routineMarks];
  const fromEvents = marks.filter((k) => k.seq !== null);
  const others = sim.events.all().filter((e) => e.kind !== 'deliver' && e.kind !== 'drop');
  expect(fromEvents.length).toBe(others.length);
  const bySeq = new Map(fromEvents.map((k) => [k.seq, k]));
  for (const e of others) {
    const k = bySeq.get(e.seq)!;
    expect(k.detail.kind).toBe(e.kind);
    expect(k.time).toBe(e.time);
    if (e.kind !== 'partition' && e.kind !== 'heal' && e.kind !== 'network') expect(k.lane).toBe(e.node);
  }
  checkDerivedMarks(sim, model, marks);
  return { duplicated, dropped: logged.filter((a) => a.end === 'dropped').length };
}

/** The marks read from the frames, against the run's own records. */
function checkDerivedMarks(sim: Simulation, model: DiagramModel, marks: readonly Mark[]): void {
  // Applies: each entry a server applied (the cluster's apply observer) is in one apply mark.
  const applied = new Map<string, number>();
  for (const list of sim.applies.values()) for (const r of list) applied.set(r.node, (applied.get(r.node) ?? 0) + 1);
  const marked = new Map<string, number>();
  for (const k of marks) if (k.detail.kind === 'apply') marked.set(k.lane!, (marked.get(k.lane!) ?? 0) + k.detail.to - k.detail.from + 1);
  expect(marked).toEqual(applied);
  // Votes: each granted vote mark is a granted RequestVoteResp sent by that server at that time.
  const grants = allArrows(model).filter((a) => a.msg.type === 'RequestVoteResp' && a.msg.granted && !a.msg.preVote);
  for (const k of marks) {
    if (k.detail.kind !== 'vote') continue;
    const d = k.detail;
    expect(grants.some((a) => a.from === k.lane && a.to === d.for && a.sentAt === k.time && a.msg.type === 'RequestVoteResp' && a.msg.term === d.term)).toBe(true);
  }
  // Commits: per server the marks' ranges follow each other while it lives; the last reaches the final commit index.
  const last = sim.lastFrame;
  for (const v of last.nodes) {
    const ranges = marks.filter((k) => k.lane === v.id && k.detail.kind === 'commit');
    for (const k of ranges) if (k.detail.kind === 'commit') expect(k.detail.to).toBeGreaterThanOrEqual(k.detail.from);
    const top = ranges.length > 0 && ranges[ranges.length - 1].detail.kind === 'commit' ? ranges[ranges.length - 1].detail : null;
    if (top && top.kind === 'commit' && v.alive) expect(top.to).toBe(v.commitIndex);
  }
  // Lanes: one per server the run ever had, in order of appearance.
  expect(model.lanes.map((l) => l.id)).toEqual(last.nodes.map((n) => n.id));
  // Marks are in frame order and time order: the view finds the visible ones by binary search.
  for (let i = 1; i < model.marks.length; i++) {
    expect(model.marks.at(i).frame).toBeGreaterThanOrEqual(model.marks.at(i - 1).frame);
    expect(model.marks.at(i).time).toBeGreaterThanOrEqual(model.marks.at(i - 1).time);
  }
  for (let i = 1; i < model.arrows.length; i++) expect(model.arrows.at(i).endAt).toBeGreaterThanOrEqual(model.arrows.at(i - 1).endAt);
}

describe('the space-time diagram of every scenario', () => {
  for (const file of FILES) {
    it(`${file}: one arrow per message sent, one mark per event`, () => {
      const { sim, sends } = runInPage(SQL, readFileSync(join(DIR, file), 'utf8'));
      checkModel(sim, sends, new DiagramModel(sourceOf(sim)));
    });
  }

  it('with loss and duplication on, dropped and duplicated copies are marked as such', () => {
    let duplicated = 0;
    let dropped = 0;
    for (const file of FILES.slice(0, 6)) {
      const { sim, sends } = runInPage(SQL, readFileSync(join(DIR, file), 'utf8'), [{ drop: 0.1 }, { duplicate: 0.2 }]);
      const counts = checkModel(sim, sends, new DiagramModel(sourceOf(sim)));
      duplicated += counts.duplicated;
      dropped += counts.dropped;
      const lost = sim.events.all().filter((e) => e.kind === 'drop' && e.reason === 'lost').length;
      expect(allArrows(new DiagramModel(sourceOf(sim))).filter((a) => a.reason === 'lost').length).toBe(lost);
    }
    expect(duplicated).toBeGreaterThan(10);
    expect(dropped).toBeGreaterThan(10);
  });

  it('built step by step as the page plays, it is the same as built at once', () => {
    const text = readFileSync(join(DIR, '14-join-and-remove.json'), 'utf8');
    const { sim } = runInPage(SQL, text);
    const whole = new DiagramModel(sourceOf(sim));
    const frames = sim.frames;
    // A source that reveals the run a few frames at a time, as the page's play loop does.
    let shown = 1;
    const partial = new DiagramModel({
      events: sim.events,
      get frames() {
        return frames.prefix(shown);
      },
      answers: sim.answers,
      inFlight: () => sim.cluster.world.inFlight(),
    });
    while (shown < frames.length) {
      shown = Math.min(frames.length, shown + 97);
      partial.update();
    }
    expect([...partial.arrows]).toEqual([...whole.arrows]);
    expect([...partial.marks]).toEqual([...whole.marks]);
    expect(partial.lanes).toEqual(whole.lanes);
  });
});

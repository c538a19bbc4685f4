import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { exchangeOf } from '../../src/replay/diagram/exchange';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import { arrived, visitArrows, visitArrowsThinned, visitMarks, type Moment } from '../../src/replay/diagram/query';
import type { Arrow, Mark } from '../../src/replay/diagram/types';
import type { Simulation } from '../../src/replay/simulation';
import { runInPage } from '../helpers/pageRun';

let SQL: SqlJsStatic;
let sim: Simulation;
let model: DiagramModel;

beforeAll(async () => {
  SQL = await loadSqlJs();
  ({ sim } = runInPage(SQL, readFileSync('scenarios/03-follower-forwarding.json', 'utf8'), [{ drop: 0.05 }]));
  model = new DiagramModel(sourceOf(sim));
});

describe('what the diagram view reads of the model', () => {
  it('the arrows and marks of a window at a moment are exactly those a full scan finds', () => {
    const end = sim.lastFrame.time;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sim.frames.length - 1 }), fc.nat(end), fc.nat(400), (f, start, span) => {
        const m: Moment = { time: sim.frames.time(f), seqEnd: sim.frames.seqEnd(f), frame: f };
        const t0 = start;
        const t1 = start + span;
        const got: Arrow[] = [];
        visitArrows(model.arrows, model.maxSpan, t0, t1, m, (a) => got.push(a));
        const want = [...model.arrows].filter((a) => a.sentAt <= Math.min(t1, m.time) && a.endAt >= t0);
        expect(got).toEqual(want);
        const marks: Mark[] = [];
        visitMarks(model.marks, t0, t1, m, (k) => marks.push(k));
        expect(marks).toEqual([...model.marks].filter((k) => k.time >= t0 && k.time <= t1 && k.frame <= f));
        // An arrow shown has arrived exactly when its event is among those logged at the moment.
        for (const a of got) expect(arrived(a, m)).toBe(a.seq < m.seqEnd);
      }),
      { numRuns: 200 },
    );
  });

  it('thinned for a zoomed-out view: with no gap it is the plain window; with one, what it passes over lies within the gap of an arrow it drew', () => {
    const end = sim.lastFrame.time;
    const all = [...model.byPair.values()];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sim.frames.length - 1 }), fc.nat(end), fc.nat(2000), fc.nat(60), fc.nat(all.length - 1), fc.nat(3), (f, t0, span, gapMs, p, every) => {
        const m: Moment = { time: sim.frames.time(f), seqEnd: sim.frames.seqEnd(f), frame: f };
        const t1 = t0 + span;
        const list = all[p].arrows.length > 0 ? all[p].arrows : all[p].routine;
        const plain: Arrow[] = [];
        visitArrows(list, model.maxSpan, t0, t1, m, (a) => plain.push(a));
        const seen: Arrow[] = [];
        visitArrowsThinned(list, model.maxSpan, t0, t1, m, 0, (a) => (seen.push(a), true));
        expect(seen).toEqual(plain);
        // The visitor draws only some of what it is shown (every `every`-th, as a filter would).
        const shown: Arrow[] = [];
        const drawn: Arrow[] = [];
        visitArrowsThinned(list, model.maxSpan, t0, t1, m, gapMs, (a) => {
          shown.push(a);
          const draw = every === 0 || shown.length % (every + 1) === 0;
          if (draw) drawn.push(a);
          return draw;
        });
        // Only arrows of the window are shown, in order, and every one passed over ends within the
        // gap after the send of the last arrow drawn before it.
        // Arrows are made as they are read: the same arrow is the same msgId.
        const ids = (l: Arrow[]) => new Set(l.map((a) => a.msgId));
        const [plainIds, shownIds, drawnIds] = [ids(plain), ids(shown), ids(drawn)];
        expect(shown.every((a) => plainIds.has(a.msgId))).toBe(true);
        let last: Arrow | null = null;
        for (const a of plain) {
          if (drawnIds.has(a.msgId)) last = a;
          else if (!shownIds.has(a.msgId)) expect(last !== null && a.endAt < last.sentAt + gapMs).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a forwarded write: its exchange is the forward, the reply, the appends carrying its entry and their acks', () => {
    const write = [...model.calls.values()].find((c) => c.request.detail.kind === 'client' && c.request.detail.sql[0].startsWith('INSERT'))!;
    expect(write.answer?.detail).toMatchObject({ kind: 'answer', ok: true });
    const index = write.answer!.detail.kind === 'answer' ? write.answer!.detail.index! : -1;
    const ex = exchangeOf(model, write.call)!;
    const arrows = [...ex.messages].map((id) => model.arrow(id)!);
    const types = new Set(arrows.map((a) => a.msg.type));
    expect(types).toEqual(new Set(['ClientRequest', 'ClientResponse', 'AppendEntries', 'AppendEntriesResp']));
    for (const a of arrows) {
      // An append that carries the entry, or the first one telling a follower it is committed.
      if (a.msg.type === 'AppendEntries') expect((a.msg.prevLogIndex < index && index <= a.msg.prevLogIndex + a.msg.entries.length) || a.msg.leaderCommit >= index).toBe(true);
      if (a.msg.type === 'AppendEntriesResp') expect(ex.messages.has(a.replyTo!)).toBe(true);
      expect(a.sentAt).toBeGreaterThanOrEqual(write.request.time);
    }
    // The leader's commit of that index and every server's apply of it are among its events.
    const marks = [...model.marks].filter((k) => ex.events.has(k.id));
    expect(marks.filter((k) => k.detail.kind === 'apply').map((k) => k.lane).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(marks.some((k) => k.detail.kind === 'commit' && k.lane === 'n2')).toBe(true);
    expect(exchangeOf(model, 9999)).toBeNull();
  });

  it('replies name their requests: every vote answers a RequestVote, every append ack an AppendEntries', () => {
    const all = [...model.arrows, ...model.routineArrows];
    const replies = all.filter((a) => a.msg.type === 'RequestVoteResp' || a.msg.type === 'AppendEntriesResp');
    expect(replies.length).toBeGreaterThan(10);
    for (const r of replies) {
      if (r.replyTo === null) continue;
      const req = model.arrow(r.replyTo)!;
      expect(req.from).toBe(r.to);
      expect(req.to).toBe(r.from);
      expect(req.endAt).toBeLessThanOrEqual(r.sentAt);
      expect(req.msg.type).toBe(r.msg.type === 'RequestVoteResp' ? 'RequestVote' : 'AppendEntries');
    }
    // Nearly every reply finds its request (a reply can outlive nothing: requests are never trimmed here).
    expect(replies.filter((r) => r.replyTo === null)).toEqual([]);
  });
});

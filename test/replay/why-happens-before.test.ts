import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { why, type History, type Why, type WhyTarget } from '../../src/replay/why';
import { recordScenario } from '../helpers/recorded';
import { SCENARIO_DIR } from '../helpers/scenario';

const FILES = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).sort();

/**
 * Every cause happens before what it explains: earlier in the log (which orders each server's
 * events as it lived them), no later in time, and every message in the causal past was sent before
 * it was delivered and delivered before the subject.
 */
function checkBefore(h: History, w: Why, bound: number, at: number): void {
  for (const c of w.causes) {
    expect(c.seq).toBeLessThan(bound);
    expect(c.time).toBeLessThanOrEqual(at);
    expect(h.event(c.seq)!.time).toBe(c.time);
  }
  for (const r of w.rules) if (r.kind === 'decision') expect(r.decision.seq).toBeLessThanOrEqual(bound);
  for (const s of w.past.events) {
    expect(s).toBeLessThan(bound);
    expect(h.event(s)!.time).toBeLessThanOrEqual(at);
  }
  for (const id of w.past.messages) {
    const d = h.delivery(id)!;
    expect(d.seq).toBeLessThan(bound);
    if (d.kind !== 'deliver' && d.kind !== 'drop') throw new Error('not a delivery');
    expect(d.sentAt).toBeLessThanOrEqual(d.time);
    // The send follows its sender's earlier event: in the sender's order, before the delivery.
    if (d.sentAfter !== undefined && d.sentAfter >= 0) {
      expect(d.sentAfter).toBeLessThan(d.seq);
      const sender = h.event(d.sentAfter);
      if (sender) {
        expect(sender.node).toBe(d.msg.from);
        expect(sender.time).toBeLessThanOrEqual(d.sentAt);
      }
    }
  }
}

describe('every cause of an event happens before it, in every scenario (property)', () => {
  const runs = new Map<string, History>();
  beforeAll(async () => {
    for (const f of FILES) runs.set(f, (await recordScenario(f)).history);
  });

  it('for any event asked about', () => {
    fc.assert(
      fc.property(fc.nat({ max: FILES.length - 1 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (fi, pos) => {
        const h = runs.get(FILES[fi])!;
        const e = h.events.get(h.events.start + Math.floor(pos * (h.events.end - h.events.start)))!;
        const w = why(h, { kind: 'event', seq: e.seq });
        checkBefore(h, w, e.seq, e.time);
        expect(w.rules.length).toBeGreaterThan(0);
      }),
      { numRuns: 600, seed: 13 },
    );
  });

  it('for every role change, with a recorded reason for each', () => {
    for (const [f, h] of runs) {
      for (const e of h.events.all()) {
        if (e.kind !== 'role') continue;
        expect(e.reason, `${f}: role event ${e.seq}`).toBeDefined();
        // The message that made the change, when one did, was delivered to this server just before.
        if (e.triggeredBy !== undefined) {
          const d = h.delivery(e.triggeredBy)!;
          expect(d).toMatchObject({ kind: 'deliver', node: e.node, time: e.time });
          expect(d.seq).toBeLessThan(e.seq);
          expect(h.decisionOf(e.reason!, e)?.msgId).toBe(e.triggeredBy);
        }
        const w = why(h, { kind: 'event', seq: e.seq });
        checkBefore(h, w, e.seq, e.time);
        expect(w.rules[0].kind).toBe('decision');
      }
    }
  });

  it('for a log cell or a server’s role at any moment', () => {
    fc.assert(
      fc.property(fc.nat({ max: FILES.length - 1 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat(), (fi, pos, pick) => {
        const h = runs.get(FILES[fi])!;
        const before = Math.max(1, Math.ceil(pos * h.end));
        const at = h.event(before - 1)!.time;
        const placed = h.allDecisions().filter((d) => d.seq < before && d.reason.code === 'proposed');
        const nodes = [...new Set(h.allDecisions().map((d) => d.node))];
        const node = nodes[pick % nodes.length];
        checkBefore(h, why(h, { kind: 'node', node, before }), before, at);
        if (placed.length === 0) return;
        const p = placed[pick % placed.length];
        if (p.reason.code !== 'proposed') return;
        const target: WhyTarget = { kind: 'cell', node: p.node, index: p.reason.index, term: p.reason.term, committed: true, before };
        checkBefore(h, why(h, target), before, at);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

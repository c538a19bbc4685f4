import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import type { Moment } from '../../src/replay/diagram/query';
import type { Simulation } from '../../src/replay/simulation';
import { fitTimes } from '../../src/ui/diagram/geometry';
import { toSvg, type Prim } from '../../src/ui/diagram/prims';
import { buildScene, hitTest, type Colours } from '../../src/ui/diagram/scene';
import { runInPage } from '../helpers/pageRun';

const C: Colours = { bg: '#fff', text: '#000', muted: '#666', grid: '#ddd', accent: '#00f', bad: '#f00', leader: '#fa0', candidate: '#808', follower: '#36c', down: '#999', halo: '#fff', future: '#eee', cut: '#fdd' };
let sim: Simulation;
let model: DiagramModel;
let m: Moment;

beforeAll(async () => {
  ({ sim } = runInPage(await loadSqlJs(), readFileSync('scenarios/02-replication.json', 'utf8')));
  model = new DiagramModel(sourceOf(sim));
  const f = sim.frames.length - 1;
  m = { time: sim.frames.time(f), seqEnd: sim.frames.seqEnd(f), frame: f };
});

const filter = { hiddenFamilies: new Set(['heartbeat'] as const), hiddenLanes: new Set<string>(), only: null };
const view = () => fitTimes({ t0: 0, msPerPx: 1, width: 900, height: 700 }, 0, m.time);

describe('the diagram scene', () => {
  it('draws a highlighted causal past distinctly: its arrows on top and wide, the rest faded', () => {
    const plain = buildScene({ model, moment: m, view: view(), filter, hover: null, highlight: null, colours: C });
    const target = plain.arrows[Math.floor(plain.arrows.length / 2)];
    const mark = plain.marks[0].mark;
    const lit = buildScene({ model, moment: m, view: view(), filter, hover: null, highlight: { messages: new Set([target.msgId]), events: new Set([mark.id]) }, colours: C });
    const wide = (ps: Prim[]) => ps.filter((p) => p.t === 'line' && p.w === 3 && p.x1 === target.x1 && p.y1 === target.y1);
    expect(wide(plain.prims)).toEqual([]);
    expect(wide(lit.prims)).toHaveLength(1);
    const batches = lit.prims.filter((p) => p.t === 'lines' && p.w > 1.5 && p.stroke !== C.grid);
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) expect(b.alpha).toBeLessThan(0.5);
    // The highlighted mark gets a ring in the accent colour.
    expect(lit.prims.some((p) => p.t === 'circle' && p.stroke === C.accent && p.r === 9)).toBe(true);
  });

  it('the pointer finds the arrow it is on, and heartbeats appear only when asked for', () => {
    const s = buildScene({ model, moment: m, view: view(), filter, hover: null, highlight: null, colours: C });
    expect(s.arrows.some((a) => a.cls === 'heartbeat')).toBe(false);
    const long = s.arrows.find((a) => Math.abs(a.x2 - a.x1) > 100)!;
    const hit = hitTest(s, (long.x1 + long.x2) / 2, (long.y1 + long.y2) / 2);
    expect(hit.arrow?.y1 === long.y1 || hit.mark !== null).toBe(true);
    const all = buildScene({ model, moment: m, view: view(), filter: { ...filter, hiddenFamilies: new Set() }, hover: null, highlight: null, colours: C });
    expect(all.arrows.some((a) => a.cls === 'heartbeat')).toBe(true);
  });

  it('the export is the same drawing as one SVG document', () => {
    const s = buildScene({ model, moment: m, view: view(), filter, hover: null, highlight: null, colours: C });
    const svg = toSvg(s.prims, 900, 700, 'a <test> & title');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>a &lt;test&gt; &amp; title</title>');
    const texts = s.prims.filter((p) => p.t === 'text').length;
    expect(svg.match(/<text /g)?.length).toBe(texts);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

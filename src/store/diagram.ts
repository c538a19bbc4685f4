import { create } from 'zustand';
import { exchangeOf } from '../replay/diagram/exchange';
import type { MessageFamily } from '../replay/diagram/filters';
import { DiagramModel, sourceOf } from '../replay/diagram/model';
import type { DiagramHighlight } from '../replay/diagram/types';
import type { Simulation } from '../replay/simulation';

/** What the cluster area shows: the ring, the space-time diagram, or both side by side. */
export type ClusterLayout = 'ring' | 'diagram' | 'both';

const LAYOUT_KEY = 'raftlite.layout';

function savedLayout(): ClusterLayout {
  try {
    const v = typeof localStorage !== 'undefined' ? localStorage.getItem(LAYOUT_KEY) : null;
    return v === 'diagram' || v === 'both' ? v : 'ring';
  } catch {
    return 'ring';
  }
}

export interface DiagramState {
  layout: ClusterLayout;
  hiddenFamilies: ReadonlySet<MessageFamily>;
  hiddenLanes: ReadonlySet<string>;
  /** Show only this client request's exchange (its call id), or everything. */
  exchange: number | null;
  /** The message under the pointer, in the diagram, the ring or the event list (Arrow.msgId). */
  hoverMsg: number | null;
  /** An event's causal past, drawn distinctly (filled in by "Why?"). */
  diagramHighlight: DiagramHighlight;
  setLayout(l: ClusterLayout): void;
  toggleFamily(f: MessageFamily): void;
  toggleLane(id: string): void;
  setExchange(call: number | null): void;
  setHoverMsg(id: number | null): void;
  setDiagramHighlight(h: DiagramHighlight): void;
}

export const useDiagram = create<DiagramState>()((set, get) => ({
  layout: savedLayout(),
  hiddenFamilies: new Set<MessageFamily>(['heartbeat']),
  hiddenLanes: new Set<string>(),
  exchange: null,
  hoverMsg: null,
  diagramHighlight: null,
  setLayout(layout) {
    try {
      localStorage.setItem(LAYOUT_KEY, layout);
    } catch {
      // A browser that refuses storage just forgets the choice.
    }
    set({ layout });
  },
  toggleFamily(f) {
    const next = new Set(get().hiddenFamilies);
    if (!next.delete(f)) next.add(f);
    set({ hiddenFamilies: next });
  },
  toggleLane(id) {
    const next = new Set(get().hiddenLanes);
    if (!next.delete(id)) next.add(id);
    set({ hiddenLanes: next });
  },
  setExchange: (exchange) => set({ exchange }),
  setHoverMsg(hoverMsg) {
    if (get().hoverMsg !== hoverMsg) set({ hoverMsg });
  },
  setDiagramHighlight: (diagramHighlight) => set({ diagramHighlight }),
}));

let cached: { sim: Simulation; model: DiagramModel; stop: () => void } | null = null;

/**
 * Keep the diagram's model of `sim` as it is recorded, frame by frame, so opening the diagram on a
 * long run costs a draw and not a build. `forkOf`: `sim` replays the run `forkOf.sim` up to frame
 * `forkOf.frame`; the model of that run is cut back to there and goes on from `sim`.
 */
export function followRun(sim: Simulation, forkOf: { sim: Simulation; frame: number } | null = null): DiagramModel {
  if (cached?.sim === sim) return cached.model;
  const old = cached;
  old?.stop();
  let model: DiagramModel;
  if (old && forkOf && old.sim === forkOf.sim) {
    model = old.model;
    model.rebase(sourceOf(sim), forkOf.frame);
  } else model = new DiagramModel(sourceOf(sim));
  cached = { sim, model, stop: sim.onFrame(() => model.readFrames()) };
  return model;
}

/** The diagram of the run `sim`, brought up to its last frame and what is in flight now. */
export function diagramModelOf(sim: Simulation): DiagramModel {
  const model = followRun(sim);
  model.update();
  return model;
}

/** The exchange filter's messages and marks, or null when it is off or names an unknown request. */
export function exchangeFilter(sim: Simulation, call: number | null): ReturnType<typeof exchangeOf> {
  return call === null ? null : exchangeOf(diagramModelOf(sim), call);
}

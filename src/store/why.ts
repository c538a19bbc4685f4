import { create } from 'zustand';
import type { Simulation } from '../replay/simulation';
import { useDiagram } from './diagram';
import { History, why, type SectionKey, type Why, type WhyTarget } from '../replay/why';
import { historyOf } from './whyIndex';
import { paper, rqlite, thesis } from './tours/paper';
import type { Ref } from './tours/types';

/** The causal past of what "why?" was asked about, for the views that draw it (the diagram, the event list). */
export interface DiagramHighlight {
  /** Message ids (the msgId of their deliver or drop events). */
  readonly messages: ReadonlySet<number>;
  /** Event seqs. */
  readonly events: ReadonlySet<number>;
}

interface WhyState {
  target: WhyTarget | null;
  answer: Why | null;
  /** The history the answer was read from, for wording it. */
  history: History | null;
  /** Set while a "why?" is open: the diagram draws this causal past; null otherwise. */
  diagramHighlight: DiagramHighlight | null;
  /** Ask "why?" about something on screen in the given run. */
  ask(sim: Simulation, target: WhyTarget): void;
  close(): void;
}

export const useWhy = create<WhyState>()((set) => ({
  target: null,
  answer: null,
  history: null,
  diagramHighlight: null,
  ask(sim, target) {
    const history = historyOf(sim);
    const answer = why(history, target);
    const diagramHighlight = { messages: answer.past.messages, events: answer.past.events };
    set({ target, answer, history, diagramHighlight });
    // The space-time diagram draws the same causal past (its arrow ids are msgIds, its mark ids seqs).
    useDiagram.getState().setDiagramHighlight(diagramHighlight);
  },
  close() {
    set({ target: null, answer: null, history: null, diagramHighlight: null });
    useDiagram.getState().setDiagramHighlight(null);
  },
}));

/** Where each section a rule cites is linked: the page's one table of references (tours/paper.ts). */
export const SECTION_LINKS: Record<SectionKey, Ref> = {
  fig2: paper.fig2,
  rsm: paper.rsm,
  basics: paper.basics,
  election: paper.election,
  replication: paper.replication,
  restriction: paper.restriction,
  oldTerms: paper.oldTerms,
  safety: paper.safety,
  compaction: paper.compaction,
  clients: paper.clients,
  crashes: paper.crashes,
  transfer: thesis.transfer,
  checkQuorum: thesis.checkQuorum,
  preVote: thesis.preVote,
  disruptive: thesis.disruptive,
  removeLeader: thesis.removeLeader,
  singleServer: thesis.singleServer,
  retries: thesis.retries,
  consistency: rqlite.consistency,
};

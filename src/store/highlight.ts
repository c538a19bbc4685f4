import { create } from 'zustand';
import type { MsgClass } from '../replay/describe';

/** A node id, or "leader": whoever leads in the frame on screen (resolved when drawn). */
export type NodeRef = string;

export interface CellRef {
  /** Omit for the same index on every node. */
  node?: NodeRef;
  /** A log index, or "last": the leader's last entry in the frame on screen. */
  index: number | 'last';
}

/** What a tour points at on screen: the cluster view and log strips read this and draw a marker. */
export interface Highlight {
  nodes?: NodeRef[];
  cells?: CellRef[];
  /** In-flight messages of these kinds. */
  messages?: MsgClass[];
  /** A control elsewhere on the page, by its data-testid. */
  target?: string;
  /** A few words drawn beside the highlighted nodes. */
  label?: string;
}

interface HighlightState {
  highlight: Highlight | null;
  setHighlight(h: Highlight | null): void;
}

export const useHighlight = create<HighlightState>()((set) => ({
  highlight: null,
  setHighlight: (highlight) => set({ highlight }),
}));

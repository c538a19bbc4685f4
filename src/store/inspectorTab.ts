import { create } from 'zustand';

export const INSPECTOR_TABS = ['node', 'network', 'events', 'tables', 'safety'] as const;
export type InspectorTab = (typeof INSPECTOR_TABS)[number];

/** The open tab of the inspector: a store, not component state, so the toolbar's safety badge can open its tab. */
export const useInspectorTab = create<{ tab: InspectorTab; show(tab: InspectorTab): void }>()((set) => ({
  tab: 'events',
  show: (tab) => set({ tab }),
}));

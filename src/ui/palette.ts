import type { MsgClass } from '../replay/describe';

/** Colour-blind-friendly-ish term colours (Tableau 10); terms cycle through them. */
const TERM_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function termColour(term: number): string {
  return TERM_COLOURS[term % TERM_COLOURS.length];
}

export const MSG_COLOURS: Record<MsgClass, string> = {
  'vote-req': '#8e44ad',
  'vote-yes': '#27ae60',
  'vote-no': '#c0392b',
  append: '#2471a3',
  heartbeat: '#8a949b',
  'append-ok': '#17a589',
  'append-no': '#e67e22',
  snapshot: '#d35400',
  'snapshot-resp': '#dc7633',
  'timeout-now': '#d4ac0d',
  client: '#d63384',
};

export const MSG_NAMES: Record<MsgClass, string> = {
  'vote-req': 'RequestVote',
  'vote-yes': 'vote granted',
  'vote-no': 'vote refused',
  append: 'AppendEntries',
  heartbeat: 'heartbeat',
  'append-ok': 'append ok',
  'append-no': 'append rejected',
  snapshot: 'InstallSnapshot',
  'snapshot-resp': 'snapshot reply',
  'timeout-now': 'TimeoutNow',
  client: 'client request',
};

// What the page starts with, read from the browser once: the colour scheme, the presenter flag in
// the address, and whether this is a first visit. Outside a browser (tests, Node) each is the default.

export const prefersDark =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;
export const presenterFlag =
  typeof location !== 'undefined' && /[?&]present(er)?(=1|=true)?(&|$)/.test(location.search);

/** A first visit (the welcome hint not yet dismissed) plays slower once Play is pressed, so the first election can be followed. */
export function firstVisit(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('raftlite.welcomed') !== '1';
  } catch {
    return false;
  }
}

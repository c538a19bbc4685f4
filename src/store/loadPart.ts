/**
 * Parts of the page load their code when first wanted (chaos mode, the editors, the tours, the
 * checks of a run read in). Fetching it can fail: the connection dropped, or the site was updated
 * while the page was open and the old files are gone. Such a failure is a LoadFailed, said in a
 * notice while the page carries on; anything else a part throws is a bug, and is not dressed up as one.
 */
export class LoadFailed extends Error {
  constructor(what: string, cause: unknown) {
    // What to do first, the browser's own words last (a teacher fixing a deployment wants them).
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `${what} could not be loaded: check the connection and try again; if the site was updated meanwhile, reload the page (your session is kept). (${why})`,
    );
  }
}

/** `load()`, its failure a LoadFailed naming `what`. */
export function loadPart<T>(what: string, load: () => Promise<T>): Promise<T> {
  return load().catch((e: unknown) => {
    throw new LoadFailed(what, e);
  });
}

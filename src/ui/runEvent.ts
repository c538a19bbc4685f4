/** The Run button asks the (lazily loaded) editor to run its text. */
export const RUN_EVENT = 'raftlite:run-sql';

import type { RunFile } from './runFormat';
import type { RunRecord } from './types';

export type { RunFile };

/**
 * A run as the format writes it (runFormat.ts). Apart from its checks, which load only when a run
 * comes in from outside: writing a run out needs none of them, and the checks are most of the format.
 */
export function toRunFile(run: RunRecord): RunFile {
  return {
    format: 'raftlite-run',
    version: 1,
    options: run.options,
    inputs: run.inputs as RunFile['inputs'],
    frame: run.frame,
    time: run.time,
    head: run.head,
  };
}

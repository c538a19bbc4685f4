import { problemText, type Problem } from '../cluster/errors';
import { formatMs } from '../sim/duration';

/**
 * Why a driver's step failed (a scenario step, a chaos fault): a problem of the service, or one of
 * the driver's own. A scenario step's output carries the `code` and the sentence `stepProblemText`
 * renders from it.
 */
export type StepProblem =
  | Problem
  /** The step named "leader" and no live node leads in the highest term. */
  | { readonly code: 'leader-unresolved' }
  | { readonly code: 'unknown-node'; readonly node: string }
  | { readonly code: 'already-down'; readonly node: string }
  | { readonly code: 'already-running'; readonly node: string }
  | { readonly code: 'wait-timeout'; readonly waitFor: 'leader' | 'converged'; readonly timeout: number }
  | { readonly code: 'join-timeout'; readonly node: string; readonly voter: boolean; readonly timeout: number }
  | { readonly code: 'remove-timeout'; readonly node: string; readonly timeout: number }
  /** The target did not take over: lagging, unreachable or down. */
  | { readonly code: 'transfer-failed'; readonly node: string }
  /** An `expect` step found the cluster other than the file said (the failures are in `expectations`). */
  | { readonly code: 'expectation-failed'; readonly count: number };

export type StepProblemCode = StepProblem['code'];

export function stepProblemText(p: StepProblem): string {
  switch (p.code) {
    case 'leader-unresolved':
      return 'no leader';
    case 'unknown-node':
      return `unknown node ${p.node}`;
    case 'already-down':
      return `${p.node} is already down`;
    case 'already-running':
      return `${p.node} is already running`;
    case 'wait-timeout':
      return `timed out after ${formatMs(p.timeout)} waiting for ${p.waitFor}`;
    case 'join-timeout':
      return `${p.node} did not become a ${p.voter ? 'voter' : 'non-voter'} within ${formatMs(p.timeout)}`;
    case 'remove-timeout':
      return `removal of ${p.node} was not committed within ${formatMs(p.timeout)}`;
    case 'transfer-failed':
      return `leadership transfer to ${p.node} failed: it did not take over (lagging, unreachable or down)`;
    case 'expectation-failed':
      return `${p.count} expectation${p.count === 1 ? '' : 's'} not met (see "expectations")`;
    default:
      return problemText(p);
  }
}

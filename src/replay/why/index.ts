/** "Why?" on any recorded event: the public face of the causal model (see docs in each module). */
export { History, type DecisionRef } from './history';
export { why, whyEvent } from './explain';
export { ruleWords, causeWords, subjectWords, briefly, type RuleWords, type SectionKey } from './words';
export type { Cause, CauseRole, CausalPast, Rule, Why, WhyTarget } from './types';

/**
 * Load and index the service's knowledge once at start-up (I/O edge): CPIC-derived tables from
 * terminology/, plan data from the plan directory. (Integration point: wired as the engines land.)
 */
import type { Config } from '../config';
import type { DecisionKnowledge } from '../decision/decide';

export function loadKnowledge(_config: Config): DecisionKnowledge {
  return { pgx: { genes: { version: 'none' }, drugs: { version: 'none' }, version: 'none' }, plans: undefined };
}

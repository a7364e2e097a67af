/**
 * Decide what to say about the draft orders: the single entry point of the pure core.
 * (Integration point: PGx and benefit assessments are wired in here.)
 */
import type { PgxKnowledge } from '../pgx/knowledge';
import type { DecisionContext, DecisionSummary, HookResponse, PatientRecord } from './types';
import { buildDataGapCard } from './cards';

export interface DecisionKnowledge {
  pgx: PgxKnowledge;
  /** plan catalogue (formularies + benefit policy); typed by src/benefit */
  plans: unknown;
}

export interface DecisionOutcome {
  response: HookResponse;
  decisions: DecisionSummary[];
}

export function decide(record: PatientRecord, ctx: DecisionContext, _kb: DecisionKnowledge): DecisionOutcome {
  const cards = [];
  const decisions: DecisionSummary[] = [];
  if (record.unavailable.length > 0) {
    const { card, summary } = buildDataGapCard(record.unavailable, ctx);
    cards.push(card);
    decisions.push(summary);
  }
  return { response: { cards, systemActions: [] }, decisions };
}

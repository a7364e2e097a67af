/** Card builders: each card kind is built in one place, from an object that already holds the reasons. */
import { deterministicUuid } from './card-id';
import { mdText, plainText } from './escape';
import type { DataGap, DecisionContext, DecisionSummary } from './types';
import type { Card, Coding } from '../cdshooks/types';

export const SOURCE_LABEL = 'Precision Benefit Hooks';

/** A card and what it decided (for the audit trail and analytics). */
export interface BuiltCard {
  card: Card;
  summary: DecisionSummary;
}

/** Our card-kind code system: a card's source topic names its kind (CDS Hooks prescribes no such codes). */
const CARD_KIND_SYSTEM = 'urn:pbh:card-kind';

export const cardTopic = (kind: string): Coding => ({ system: CARD_KIND_SYSTEM, code: kind, display: kind });

/** CDS Hooks: summary SHOULD be under 140 characters; we guarantee it. */
export function clampSummary(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length < 140 ? oneLine : `${oneLine.slice(0, 138).trimEnd()}…`;
}

export function buildDataGapCard(gaps: DataGap[], ctx: DecisionContext): BuiltCard {
  const summaryText = clampSummary(`Could not check everything: ${gaps.map((g) => plainText(g.key, 40)).join(', ')} unavailable`);
  // deterministic like every other card: the same gaps in the same hookInstance give the same uuid
  const uuid = deterministicUuid(ctx.hookInstance, ctx.serviceId, 'data-gap', ...gaps.map((g) => `${g.key}\u001e${g.reason}`));
  const card: Card = {
    uuid,
    summary: summaryText,
    detail: [
      'Some data needed for this check could not be obtained, so the advice below may be incomplete.',
      'Absence of a warning is **not** reassurance for what could not be checked.',
      '',
      ...gaps.map((g) => `- **${mdText(g.key)}**: ${mdText(g.reason)}`),
    ].join('\n'),
    indicator: 'warning',
    source: { label: SOURCE_LABEL, url: `${ctx.serviceBaseUrl}/openapi.yaml` },
  };
  return { card, summary: { cardUuid: uuid, cardKind: 'data-gap', indicator: 'warning', suggestionUuids: [] } };
}

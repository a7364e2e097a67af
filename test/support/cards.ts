/** Find the data-gap card among whatever cards the decision core returned (via the audit's decisions). */
import type { Card } from '../../src/cdshooks/types';
import type { AuditRecord } from '../../src/store/types';

export function dataGapCard(cards: Card[], audit: AuditRecord): Card | undefined {
  const uuid = audit.decisions.find((d) => d.cardKind === 'data-gap')?.cardUuid;
  return uuid ? cards.find((c) => c.uuid === uuid) : undefined;
}

/**
 * CDS Hooks 2.0 feedback: coherence checks the schema cannot express, then persistence.
 * A card must have been issued by this service (when a store is present); repeats are idempotent.
 */
import { PbhError } from '../errors';
import type { FeedbackRecord, Store } from '../store/types';
import type { FeedbackItem, FeedbackRequest } from './types';

export function checkFeedbackCoherence(req: FeedbackRequest): void {
  req.feedback.forEach((f, i) => {
    if (f.outcome === 'accepted' && f.overrideReason) {
      throw new PbhError('PBH_ERR_VALIDATION', `/feedback/${i}: overrideReason is only allowed when outcome is overridden`, {
        instancePath: `/feedback/${i}/overrideReason`,
      });
    }
    if (f.outcome === 'overridden' && f.acceptedSuggestions && f.acceptedSuggestions.length > 0) {
      throw new PbhError('PBH_ERR_VALIDATION', `/feedback/${i}: acceptedSuggestions is only allowed when outcome is accepted`, {
        instancePath: `/feedback/${i}/acceptedSuggestions`,
      });
    }
  });
}

export function toFeedbackRecord(serviceId: string, f: FeedbackItem): FeedbackRecord {
  const reason = f.overrideReason;
  return {
    serviceId,
    cardUuid: f.card,
    outcome: f.outcome,
    outcomeTimestamp: f.outcomeTimestamp,
    acceptedSuggestions: (f.acceptedSuggestions ?? []).map((s) => s.id),
    ...(reason
      ? {
          overrideReason: {
            code: reason.reason?.code,
            system: reason.reason?.system,
            display: reason.reason?.display,
            comment: reason.userComment,
          },
        }
      : {}),
  };
}

/** Validate every item against the issued cards first, then save: a bad batch saves nothing. */
export async function recordFeedback(
  serviceId: string,
  req: FeedbackRequest,
  store: Store | undefined,
): Promise<{ received: number; duplicates: number; persisted: boolean }> {
  checkFeedbackCoherence(req);
  if (!store) return { received: req.feedback.length, duplicates: 0, persisted: false };
  for (const f of req.feedback) {
    const issued = await store.findIssuedCard(serviceId, f.card);
    if (!issued) throw new PbhError('PBH_ERR_CARD_NOT_FOUND');
    const known = new Set(issued.suggestionUuids);
    for (const s of f.acceptedSuggestions ?? []) {
      if (!known.has(s.id)) {
        throw new PbhError('PBH_ERR_VALIDATION', 'acceptedSuggestions names a suggestion the card did not offer', {
          instancePath: '/feedback/acceptedSuggestions',
        });
      }
    }
  }
  let duplicates = 0;
  for (const f of req.feedback) {
    const { duplicate } = await store.saveFeedback(toFeedbackRecord(serviceId, f));
    if (duplicate) duplicates++;
  }
  return { received: req.feedback.length, duplicates, persisted: true };
}

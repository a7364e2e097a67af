import type { CardOutcomeRow } from '../store/types';

/**
 * Card analytics: how often each kind of card, gene–drug pair and plan rule was shown, accepted and
 * overridden. Override rate = overridden / (accepted + overridden), i.e. among cards the clinician acted
 * on (cards with no feedback are "shown" only). Flagged above the seed target of 15 %.
 */
export const OVERRIDE_RATE_TARGET = 0.15;

export interface OutcomeCounts {
  shown: number;
  accepted: number;
  overridden: number;
  /** overridden / (accepted + overridden); null when nobody responded */
  overrideRate: number | null;
  aboveTarget: boolean;
  overrideReasons: Array<{ code: string; display?: string; count: number }>;
}

export interface GroupCounts extends OutcomeCounts {
  key: string;
}

export interface AnalyticsReport {
  period: { since: string; until: string };
  overrideRateTarget: number;
  totals: OutcomeCounts;
  byCardKind: GroupCounts[];
  byPair: GroupCounts[];
  byPlanRule: GroupCounts[];
  stepTherapyExemptionsGranted: number;
  paPreviewsByPathway: Array<{ pathway: string; count: number }>;
}

export const NO_REASON = 'unspecified';

export function countOutcomes(rows: CardOutcomeRow[]): OutcomeCounts {
  let accepted = 0;
  let overridden = 0;
  const reasons = new Map<string, { display?: string; count: number }>();
  for (const r of rows) {
    if (r.outcome === 'accepted') accepted++;
    else if (r.outcome === 'overridden') {
      overridden++;
      const code = r.overrideCode ?? NO_REASON;
      const entry = reasons.get(code) ?? { display: r.overrideDisplay, count: 0 };
      entry.count++;
      reasons.set(code, entry);
    }
  }
  const responded = accepted + overridden;
  const overrideRate = responded ? overridden / responded : null;
  return {
    shown: rows.length,
    accepted,
    overridden,
    overrideRate,
    aboveTarget: overrideRate !== null && overrideRate > OVERRIDE_RATE_TARGET,
    overrideReasons: [...reasons]
      .map(([code, v]) => ({ code, display: v.display, count: v.count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
  };
}

function groupBy(rows: CardOutcomeRow[], key: (r: CardOutcomeRow) => string | undefined): GroupCounts[] {
  const groups = new Map<string, CardOutcomeRow[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return [...groups]
    .map(([k, list]) => ({ key: k, ...countOutcomes(list) }))
    .sort((a, b) => b.shown - a.shown || a.key.localeCompare(b.key));
}

export function computeAnalytics(rows: CardOutcomeRow[], since: string, until: string): AnalyticsReport {
  const pathways = new Map<string, number>();
  for (const r of rows) if (r.paPathway) pathways.set(r.paPathway, (pathways.get(r.paPathway) ?? 0) + 1);
  return {
    period: { since, until },
    overrideRateTarget: OVERRIDE_RATE_TARGET,
    totals: countOutcomes(rows),
    byCardKind: groupBy(rows, (r) => r.cardKind),
    byPair: groupBy(rows, (r) => r.pair),
    byPlanRule: groupBy(rows, (r) => r.planRuleId),
    stepTherapyExemptionsGranted: rows.filter((r) => r.stepTherapy === 'exempt').length,
    paPreviewsByPathway: [...pathways]
      .map(([pathway, count]) => ({ pathway, count }))
      .sort((a, b) => b.count - a.count || a.pathway.localeCompare(b.pathway)),
  };
}

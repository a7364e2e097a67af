import type { CardOutcomeRow } from '../store/types';
import type { Labels } from './labels';
import { wilsonInterval, type Interval } from './statistics';

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
  /** unique patients (distinct pseudonyms) behind the cards */
  patients: number;
  /** accepted / shown; null when nothing was shown */
  acceptanceRate: number | null;
  acceptanceRateCI95: Interval | null;
  /** overridden / (accepted + overridden); null when nobody responded */
  overrideRate: number | null;
  /** 95 % Wilson score interval of the override rate */
  overrideRateCI95: Interval | null;
  aboveTarget: boolean;
  overrideReasons: Array<{ code: string; display?: string; count: number }>;
}

export interface GroupCounts extends OutcomeCounts {
  key: string;
  display: string;
}

export type SeriesInterval = 'day' | 'week' | 'month';
export interface SeriesPoint extends Omit<OutcomeCounts, 'overrideReasons' | 'aboveTarget'> {
  /** start of the bucket (UTC), ISO instant */
  start: string;
}

export interface AnalyticsReport {
  period: { since: string; until: string };
  method: { unit: 'card'; confidence: number; interval: string; description: string };
  overrideRateTarget: number;
  totals: OutcomeCounts;
  byCardKind: GroupCounts[];
  byPair: GroupCounts[];
  byPlanRule: GroupCounts[];
  /** the same counts over time, in buckets of `seriesInterval` */
  seriesInterval: SeriesInterval;
  series: SeriesPoint[];
  stepTherapyExemptionsGranted: number;
  paPreviewsByPathway: Array<{ pathway: string; count: number }>;
}

export const NO_REASON = 'unspecified';

export function countOutcomes(rows: CardOutcomeRow[]): OutcomeCounts {
  let accepted = 0;
  let overridden = 0;
  const patients = new Set<string>();
  const reasons = new Map<string, { display?: string; count: number }>();
  for (const r of rows) {
    if (r.patientPseudonym) patients.add(r.patientPseudonym);
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
    patients: patients.size,
    acceptanceRate: rows.length ? accepted / rows.length : null,
    acceptanceRateCI95: wilsonInterval(accepted, rows.length),
    overrideRate,
    overrideRateCI95: wilsonInterval(overridden, responded),
    aboveTarget: overrideRate !== null && overrideRate > OVERRIDE_RATE_TARGET,
    overrideReasons: [...reasons]
      .map(([code, v]) => ({ code, display: v.display, count: v.count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
  };
}

function groupBy(
  rows: CardOutcomeRow[],
  key: (r: CardOutcomeRow) => string | undefined,
  display: (k: string) => string = (k) => k,
): GroupCounts[] {
  const groups = new Map<string, CardOutcomeRow[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return [...groups]
    .map(([k, list]) => ({ key: k, display: display(k), ...countOutcomes(list) }))
    .sort((a, b) => b.shown - a.shown || a.key.localeCompare(b.key));
}

const DAY_MS = 86_400_000;

/** day buckets up to 31 days, weeks (from `since`) up to 26 weeks, calendar months beyond */
export function seriesIntervalFor(since: string, until: string): SeriesInterval {
  const days = (Date.parse(until) - Date.parse(since)) / DAY_MS;
  return days <= 31 ? 'day' : days <= 182 ? 'week' : 'month';
}

function bucketStart(t: number, since: number, interval: SeriesInterval): number {
  if (interval === 'day') return Math.floor(t / DAY_MS) * DAY_MS;
  if (interval === 'week') return since + Math.floor((t - since) / (7 * DAY_MS)) * 7 * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** one point per bucket of the period, empty buckets included (a chart must show the gaps) */
export function outcomeSeries(rows: CardOutcomeRow[], since: string, until: string): { interval: SeriesInterval; points: SeriesPoint[] } {
  const interval = seriesIntervalFor(since, until);
  const s = Date.parse(since);
  const u = Date.parse(until);
  const buckets = new Map<number, CardOutcomeRow[]>();
  for (let b = bucketStart(s, s, interval); b < u; ) {
    buckets.set(b, []);
    b = interval === 'month' ? Date.UTC(new Date(b).getUTCFullYear(), new Date(b).getUTCMonth() + 1, 1) : b + (interval === 'day' ? DAY_MS : 7 * DAY_MS);
  }
  for (const r of rows) {
    if (!r.issuedAt) continue;
    buckets.get(bucketStart(Date.parse(r.issuedAt), s, interval))?.push(r);
  }
  const points = [...buckets].map(([b, list]) => {
    const { overrideReasons: _r, aboveTarget: _a, ...c } = countOutcomes(list);
    return { start: new Date(b).toISOString(), ...c };
  });
  return { interval, points };
}

export const ANALYTICS_METHOD =
  'n counts cards shown (unique patients beside). acceptanceRate = accepted / shown; overrideRate = overridden / (accepted + overridden): ' +
  'cards without feedback count as shown only. Intervals are 95 % Wilson score intervals. ' +
  `aboveTarget compares the point estimate with the ${OVERRIDE_RATE_TARGET * 100} % target, without a test.`;

export function computeAnalytics(rows: CardOutcomeRow[], since: string, until: string, labels?: Labels): AnalyticsReport {
  const series = outcomeSeries(rows, since, until);
  const pathways = new Map<string, number>();
  for (const r of rows) if (r.paPathway) pathways.set(r.paPathway, (pathways.get(r.paPathway) ?? 0) + 1);
  return {
    period: { since, until },
    method: { unit: 'card', confidence: 0.95, interval: 'Wilson score interval', description: ANALYTICS_METHOD },
    overrideRateTarget: OVERRIDE_RATE_TARGET,
    totals: countOutcomes(rows),
    byCardKind: groupBy(rows, (r) => r.cardKind, labels?.cardKind),
    byPair: groupBy(rows, (r) => r.pair, labels?.pair),
    byPlanRule: groupBy(rows, (r) => r.planRuleId, labels?.planRule),
    seriesInterval: series.interval,
    series: series.points,
    stepTherapyExemptionsGranted: rows.filter((r) => r.stepTherapy === 'exempt').length,
    paPreviewsByPathway: [...pathways]
      .map(([pathway, count]) => ({ pathway, count }))
      .sort((a, b) => b.count - a.count || a.pathway.localeCompare(b.pathway)),
  };
}

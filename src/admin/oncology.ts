/**
 * Targeted oncology orders: how often the tumour's biomarker status matched the indication the drug's label
 * requires, by plan rule and over time. One oncology card is issued per order of a companion-diagnostic-table
 * drug, and its card kind is the biomarker verdict, so the audit's card rows are the data: no genotype, no
 * variant and no patient identifier is read (patients are counted by pseudonym only).
 *
 * matchRate = matched / judged, where judged = orders whose coded cancer is among the drug's biomarker-selected
 * indications (matched + contrary + unresolved); orders for another cancer or with no cancer coded are counted
 * beside, never in the rate.
 */
import type { CardOutcomeRow } from '../store/types';
import { outcomeSeries, seriesIntervalFor, type SeriesInterval } from './analytics';
import { toCsv } from './csv';
import type { Labels } from './labels';
import { wilsonInterval, type Interval } from './statistics';

/** card kind → what it says about the order's biomarker status (src/decision/oncology-card.ts) */
export const ONCOLOGY_CARD_STATUS = {
  'oncology-biomarker-confirmed': 'matched',
  'oncology-biomarker-contrary': 'contrary',
  'oncology-biomarker-missing': 'unresolved',
  'oncology-biomarker-indeterminate': 'unresolved',
  'oncology-indication-not-listed': 'indicationNotListed',
  'oncology-no-diagnosis': 'noCancerCoded',
} as const;
type Status = (typeof ONCOLOGY_CARD_STATUS)[keyof typeof ONCOLOGY_CARD_STATUS];

export interface IndicationMatchCounts {
  /** oncology orders (one card each) */
  orders: number;
  /** biomarker confirmed for the indication */
  matched: number;
  /** a result contradicts the indication (e.g. RAS mutant with an anti-EGFR antibody) */
  contrary: number;
  /** no companion-diagnostic result on file, or one that could not be placed */
  unresolved: number;
  /** the patient's cancer is not among the drug's biomarker-selected indications */
  indicationNotListed: number;
  noCancerCoded: number;
  /** matched + contrary + unresolved */
  judged: number;
  /** matched / judged; null when nothing was judged */
  matchRate: number | null;
  matchRateCI95: Interval | null;
  /** cards the clinician overrode (any status) */
  overridden: number;
  /** unique patients (pseudonyms) */
  patients: number;
}

export interface OncologyIndicationReport {
  period: { since: string; until: string };
  method: { unit: 'order'; confidence: number; interval: string; description: string };
  totals: IndicationMatchCounts;
  byPlanRule: Array<IndicationMatchCounts & { key: string; display: string }>;
  byDrug: Array<IndicationMatchCounts & { key: string; display: string }>;
  /** PA previews of these orders by pathway (auto-approvable, likely-denied, …) */
  paPreviewsByPathway: Array<{ pathway: string; count: number }>;
  seriesInterval: SeriesInterval;
  series: Array<IndicationMatchCounts & { start: string }>;
}

const NO_RULE = 'no-plan-rule';

export const ONCOLOGY_METHOD =
  'unit: one order of a drug of the companion-diagnostic table (one oncology card each). matchRate = matched / judged, ' +
  'judged = matched + contrary + unresolved (orders whose coded cancer is among the drug\'s biomarker-selected indications); ' +
  'indicationNotListed and noCancerCoded are counted beside, outside the rate. Interval: 95 % Wilson score interval. ' +
  `Orders without a plan rule are grouped under "${NO_RULE}".`;

const statusOf = (r: CardOutcomeRow): Status | undefined => ONCOLOGY_CARD_STATUS[r.cardKind as keyof typeof ONCOLOGY_CARD_STATUS];

export function countIndicationMatch(rows: CardOutcomeRow[]): IndicationMatchCounts {
  const c = { matched: 0, contrary: 0, unresolved: 0, indicationNotListed: 0, noCancerCoded: 0 };
  const patients = new Set<string>();
  let overridden = 0;
  for (const r of rows) {
    const s = statusOf(r);
    if (!s) continue;
    c[s]++;
    if (r.patientPseudonym) patients.add(r.patientPseudonym);
    if (r.outcome === 'overridden') overridden++;
  }
  const judged = c.matched + c.contrary + c.unresolved;
  return {
    orders: judged + c.indicationNotListed + c.noCancerCoded,
    ...c,
    judged,
    matchRate: judged ? c.matched / judged : null,
    matchRateCI95: wilsonInterval(c.matched, judged),
    overridden,
    patients: patients.size,
  };
}

function groupBy(rows: CardOutcomeRow[], key: (r: CardOutcomeRow) => string, display: (k: string) => string) {
  const groups = new Map<string, CardOutcomeRow[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups]
    .map(([k, list]) => ({ key: k, display: display(k), ...countIndicationMatch(list) }))
    .sort((a, b) => b.orders - a.orders || a.key.localeCompare(b.key));
}

export function computeOncologyIndication(allRows: CardOutcomeRow[], since: string, until: string, labels?: Labels): OncologyIndicationReport {
  const rows = allRows.filter((r) => statusOf(r) !== undefined);
  const planRule = (k: string) => (k === NO_RULE ? 'No plan rule (benefit not assessed)' : labels?.planRule(k) ?? k);
  // the buckets of the analytics report, so the two series line up on the page
  const { points } = outcomeSeries([], since, until);
  const interval = seriesIntervalFor(since, until);
  const bucketed = new Map<string, CardOutcomeRow[]>(points.map((p) => [p.start, []]));
  const starts = points.map((p) => Date.parse(p.start));
  for (const r of rows) {
    if (!r.issuedAt) continue;
    const t = Date.parse(r.issuedAt);
    let i = starts.length - 1;
    while (i >= 0 && starts[i]! > t) i--;
    if (i >= 0) bucketed.get(points[i]!.start)!.push(r);
  }
  const pathways = new Map<string, number>();
  for (const r of rows) if (r.paPathway) pathways.set(r.paPathway, (pathways.get(r.paPathway) ?? 0) + 1);
  return {
    period: { since, until },
    method: { unit: 'order', confidence: 0.95, interval: 'Wilson score interval', description: ONCOLOGY_METHOD },
    totals: countIndicationMatch(rows),
    byPlanRule: groupBy(rows, (r) => r.planRuleId ?? NO_RULE, planRule),
    byDrug: groupBy(rows, (r) => r.drug ?? 'unknown', (k) => labels?.drug(k) ?? k),
    paPreviewsByPathway: [...pathways].map(([pathway, count]) => ({ pathway, count })).sort((a, b) => b.count - a.count || a.pathway.localeCompare(b.pathway)),
    seriesInterval: interval,
    series: [...bucketed].map(([start, list]) => ({ start, ...countIndicationMatch(list) })),
  };
}

export function oncologyIndicationCsv(r: OncologyIndicationReport): string {
  const header = ['section', 'key', 'display', 'orders', 'judged', 'matched', 'contrary', 'unresolved', 'indication_not_listed', 'no_cancer_coded', 'match_rate', 'match_rate_ci95_low', 'match_rate_ci95_high', 'overridden', 'patients'];
  const line = (section: string, key: string, display: string, c: IndicationMatchCounts) => [
    section, key, display, c.orders, c.judged, c.matched, c.contrary, c.unresolved, c.indicationNotListed, c.noCancerCoded,
    c.matchRate, c.matchRateCI95?.low, c.matchRateCI95?.high, c.overridden, c.patients,
  ];
  // the rules behind the numbers travel with them, as in the other admin CSVs
  const notes = [`period: ${r.period.since} to ${r.period.until} (until exclusive)`, `method: ${r.method.description}`];
  return toCsv(header, [
    line('total', 'all', 'All oncology orders', r.totals),
    ...r.byPlanRule.map((g) => line('plan-rule', g.key, g.display, g)),
    ...r.byDrug.map((g) => line('drug', g.key, g.display, g)),
    ...r.series.map((p) => line(`series-${r.seriesInterval}`, p.start, p.start, p)),
  ], notes);
}

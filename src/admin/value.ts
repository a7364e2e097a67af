import type { AssumptionRange, ValueAssumptionKey, ValueAssumptions } from '../benefit/plan-catalogue';
import type { CardOutcomeRow } from '../store/types';

/**
 * Value report: per month and plan, what the accepted cards avoided and what the plan's administrative
 * shortcuts saved, and the estimated avoided cost as a range from the plan's own assumptions
 * (plans/<dir>/policy.yaml `valueAssumptions`, sources in docs/value-report.md). Pure: rows and
 * assumptions in, report out. An assumption the policy leaves out is never filled in here: the events are
 * counted and the estimate is listed under `notEstimated`.
 *
 * Counted events (a card's latest feedback decides "accepted"):
 *   contraindicatedAvoided   accepted pgx cards whose verdict was "contraindicated"
 *   nonResponseAvoided       accepted pgx cards whose verdict was "expected-ineffective"
 *   doseErrorAvoided         accepted pgx cards whose verdict was "adjust"
 *   stepTherapyExemptions    cards where the plan's rule granted a step-therapy exemption
 *   paAutoApprovals          cards whose prior authorization was predicted auto-approvable
 *   testsOrdered             accepted missing-test cards (a test was ordered: the cost side)
 */
export interface Range {
  low: number;
  high: number;
}

export interface ValueCounts {
  acceptedCards: number;
  contraindicatedAvoided: number;
  nonResponseAvoided: number;
  doseErrorAvoided: number;
  stepTherapyExemptions: number;
  paAutoApprovals: number;
  testsOrdered: number;
}

export interface ValueEstimate {
  /** ADRs avoided (expected number, not observed) */
  adverseEventsAvoided: Range | null;
  adverseEventCostAvoided: Range | null;
  nonResponseCostAvoided: Range | null;
  administrativeMinutesSaved: Range | null;
  administrativeCostSaved: Range | null;
  /** sum of the cost estimates that could be made (low + low, high + high) */
  avoidedCost: Range;
  testingCost: Range | null;
  /** avoided − testing, pessimistic at the low end (low avoided − high testing) */
  net: Range;
  /** estimates left out because the policy sets no assumption for them, with the missing parameter names */
  notEstimated: Array<{ estimate: string; missing: ValueAssumptionKey[] }>;
}

export interface ValueRow extends ValueCounts {
  periodStart: string;
  periodEnd: string;
  plan: string;
  planName: string;
  estimate: ValueEstimate;
}

export interface ValueReport {
  period: { since: string; until: string };
  currency: 'USD';
  method: string;
  rows: ValueRow[];
  byPlan: Array<Omit<ValueRow, 'periodStart' | 'periodEnd'>>;
  /** the assumptions used, per plan, each with its source */
  assumptions: Array<{ plan: string; planName: string; values: ValueAssumptions }>;
}

export const NO_PLAN = 'unknown';

export const VALUE_METHOD =
  'Counts are of cards issued in the period and their latest feedback. An accepted card is counted as an avoided event; ' +
  'whether harm would have followed is not observed, so the cost is an expected value: ' +
  'adverse events avoided = (contraindicated + dose-error cards accepted) × adrRiskReduction; their cost × costPerAdr; ' +
  'non-response cost = non-response cards accepted × nonResponseCost; ' +
  'administrative minutes = PA auto-approvals × paMinutesPerRequest + step-therapy exemptions × stepTherapyExceptionMinutesPerRequest, costed × staffCostPerHour; ' +
  'testing cost = tests ordered from missing-test cards × testCost. Every figure is a range (low uses every low assumption, high every high one); ' +
  'net = avoided − testing, with the low end taking the high testing cost. Assumptions come from the plan policy, each with its source; ' +
  'an estimate whose assumption is not set is listed under notEstimated, never guessed. These are estimates for planning, not findings.';

export function countValue(rows: CardOutcomeRow[]): ValueCounts {
  const accepted = rows.filter((r) => r.outcome === 'accepted');
  const pgx = (verdict: string) => accepted.filter((r) => r.cardKind === 'pgx-recommendation' && r.pgxVerdict === verdict).length;
  return {
    acceptedCards: accepted.length,
    contraindicatedAvoided: pgx('contraindicated'),
    nonResponseAvoided: pgx('expected-ineffective'),
    doseErrorAvoided: pgx('adjust'),
    stepTherapyExemptions: rows.filter((r) => r.stepTherapy === 'exempt').length,
    paAutoApprovals: rows.filter((r) => r.paPathway === 'auto-approvable').length,
    testsOrdered: accepted.filter((r) => r.cardKind === 'pgx-missing-test').length,
  };
}

const scale = (n: number, a: AssumptionRange): Range => ({ low: n * a.low, high: n * a.high });
const times = (r: Range, a: AssumptionRange, k = 1): Range => ({ low: r.low * a.low * k, high: r.high * a.high * k });
const add = (...rs: Array<Range | null>): Range =>
  rs.reduce<Range>((s, r) => (r ? { low: s.low + r.low, high: s.high + r.high } : s), { low: 0, high: 0 });

export function estimateValue(c: ValueCounts, a: ValueAssumptions): ValueEstimate {
  const notEstimated: ValueEstimate['notEstimated'] = [];
  const need = (estimate: string, events: number, keys: ValueAssumptionKey[]): boolean => {
    const missing = keys.filter((k) => !a[k]);
    if (missing.length && events > 0) notEstimated.push({ estimate, missing });
    return missing.length === 0;
  };
  const harmCards = c.contraindicatedAvoided + c.doseErrorAvoided;
  const adverseEventsAvoided = need('adverseEventsAvoided', harmCards, ['adrRiskReduction']) ? scale(harmCards, a.adrRiskReduction!) : null;
  const adverseEventCostAvoided =
    adverseEventsAvoided && need('adverseEventCostAvoided', harmCards, ['costPerAdr']) ? times(adverseEventsAvoided, a.costPerAdr!) : null;
  const nonResponseCostAvoided = need('nonResponseCostAvoided', c.nonResponseAvoided, ['nonResponseCost'])
    ? scale(c.nonResponseAvoided, a.nonResponseCost!)
    : null;
  const adminEvents = c.paAutoApprovals + c.stepTherapyExemptions;
  const administrativeMinutesSaved = need('administrativeMinutesSaved', adminEvents, ['paMinutesPerRequest', 'stepTherapyExceptionMinutesPerRequest'])
    ? add(scale(c.paAutoApprovals, a.paMinutesPerRequest!), scale(c.stepTherapyExemptions, a.stepTherapyExceptionMinutesPerRequest!))
    : null;
  const administrativeCostSaved =
    administrativeMinutesSaved && need('administrativeCostSaved', adminEvents, ['staffCostPerHour'])
      ? times(administrativeMinutesSaved, a.staffCostPerHour!, 1 / 60)
      : null;
  const testingCost = need('testingCost', c.testsOrdered, ['testCost']) ? scale(c.testsOrdered, a.testCost!) : null;
  const avoidedCost = add(adverseEventCostAvoided, nonResponseCostAvoided, administrativeCostSaved);
  const testing = testingCost ?? { low: 0, high: 0 };
  return {
    adverseEventsAvoided,
    adverseEventCostAvoided,
    nonResponseCostAvoided,
    administrativeMinutesSaved,
    administrativeCostSaved,
    avoidedCost,
    testingCost,
    net: { low: avoidedCost.low - testing.high, high: avoidedCost.high - testing.low },
    notEstimated,
  };
}

/** calendar months (UTC) covering [since, until), clipped to the period */
export function months(since: string, until: string): Array<{ start: string; end: string }> {
  const s = Date.parse(since);
  const u = Date.parse(until);
  const out: Array<{ start: string; end: string }> = [];
  let d = new Date(s);
  let start = s;
  while (start < u) {
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const end = Math.min(next, u);
    out.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
    start = end;
    d = new Date(end);
  }
  return out;
}

export interface PlanLookup {
  /** the plan a card's rule belongs to */
  planOfRule(ruleId: string): { id: string; name: string } | undefined;
  assumptionsFor(planId: string): ValueAssumptions;
}

export function computeValue(rows: CardOutcomeRow[], since: string, until: string, plans: PlanLookup): ValueReport {
  const planOf = (r: CardOutcomeRow) => (r.planRuleId ? plans.planOfRule(r.planRuleId) : undefined) ?? { id: NO_PLAN, name: 'No plan rule on the card' };
  const byPlan = new Map<string, { name: string; rows: CardOutcomeRow[] }>();
  for (const r of rows) {
    const p = planOf(r);
    const entry = byPlan.get(p.id) ?? { name: p.name, rows: [] };
    entry.rows.push(r);
    byPlan.set(p.id, entry);
  }
  const planIds = [...byPlan.keys()].sort();
  const row = (plan: string, list: CardOutcomeRow[]) => {
    const counts = countValue(list);
    return { plan, planName: byPlan.get(plan)!.name, ...counts, estimate: estimateValue(counts, plans.assumptionsFor(plan)) };
  };
  const out: ValueRow[] = [];
  for (const m of months(since, until)) {
    for (const plan of planIds) {
      const list = byPlan.get(plan)!.rows.filter((r) => r.issuedAt !== undefined && r.issuedAt >= m.start && r.issuedAt < m.end);
      if (list.length) out.push({ periodStart: m.start, periodEnd: m.end, ...row(plan, list) });
    }
  }
  return {
    period: { since, until },
    currency: 'USD',
    method: VALUE_METHOD,
    rows: out,
    byPlan: planIds.map((plan) => row(plan, byPlan.get(plan)!.rows)),
    assumptions: planIds.map((plan) => ({ plan, planName: byPlan.get(plan)!.name, values: plans.assumptionsFor(plan) })),
  };
}

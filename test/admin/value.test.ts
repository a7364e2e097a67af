import { buildLabels, buildPlanLookup } from '../../src/admin/labels';
import { estimateValue, months } from '../../src/admin/value';
import { testConfig } from '../support/config';
import type { DecisionSummary } from '../../src/decision/types';
import { loadKnowledge } from '../../src/loaders';
import { BACKENDS } from '../store/backends';
import { card, hookRecord } from '../store/records';
import { get, readCsv } from './http';
import { adminAuth as auth, feedbackOn, reportSchemaValidator, seededAdmin } from './seeded-admin';

jest.setTimeout(120_000);

const kb = loadKnowledge(testConfig());
const plan = kb.plans.plans[0];
const rule = [...plan.items][0].itemId;
const A = plan.valueAssumptions;

describe('value estimate (pure)', () => {
  const counts = { acceptedCards: 10, contraindicatedAvoided: 2, nonResponseAvoided: 1, doseErrorAvoided: 1, stepTherapyExemptions: 1, paAutoApprovals: 2, testsOrdered: 4 };
  const r = (low: number, high: number) => ({ low, high, unit: 'u', source: 's' });

  test('every estimate is a range built from low and high assumptions; net takes the high testing cost at its low end', () => {
    const e = estimateValue(counts, {
      adrRiskReduction: r(0.1, 0.2),
      costPerAdr: r(1000, 2000),
      nonResponseCost: r(100, 300),
      paMinutesPerRequest: r(10, 20),
      stepTherapyExceptionMinutesPerRequest: r(30, 60),
      staffCostPerHour: r(60, 120),
      testCost: r(50, 100),
    });
    expect(e.adverseEventsAvoided).toEqual({ low: 3 * 0.1, high: 3 * 0.2 });
    expect(e.adverseEventCostAvoided!.low).toBeCloseTo(300, 9);
    expect(e.adverseEventCostAvoided!.high).toBeCloseTo(1200, 9);
    expect(e.nonResponseCostAvoided).toEqual({ low: 100, high: 300 });
    expect(e.administrativeMinutesSaved).toEqual({ low: 2 * 10 + 30, high: 2 * 20 + 60 });
    expect(e.administrativeCostSaved).toEqual({ low: 50, high: 200 }); // 50 min at $60/h, 100 min at $120/h
    expect(e.testingCost).toEqual({ low: 200, high: 400 });
    expect(e.avoidedCost.low).toBeCloseTo(450, 9);
    expect(e.avoidedCost.high).toBeCloseTo(1700, 9);
    expect(e.net.low).toBeCloseTo(450 - 400, 9);
    expect(e.net.high).toBeCloseTo(1700 - 200, 9);
    expect(e.notEstimated).toEqual([]);
  });

  test('a missing assumption is never filled in: the estimate is null and listed with the parameter to set', () => {
    const e = estimateValue(counts, { adrRiskReduction: r(0.1, 0.2) });
    expect(e.adverseEventCostAvoided).toBeNull();
    expect(e.testingCost).toBeNull();
    expect(e.notEstimated).toEqual([
      { estimate: 'adverseEventCostAvoided', missing: ['costPerAdr'] },
      { estimate: 'nonResponseCostAvoided', missing: ['nonResponseCost'] },
      { estimate: 'administrativeMinutesSaved', missing: ['paMinutesPerRequest', 'stepTherapyExceptionMinutesPerRequest'] },
      { estimate: 'testingCost', missing: ['testCost'] },
    ]);
    expect(e.avoidedCost).toEqual({ low: 0, high: 0 });
  });

  test('calendar months clipped to the period', () => {
    expect(months('2026-11-15T00:00:00.000Z', '2027-01-10T00:00:00.000Z')).toEqual([
      { start: '2026-11-15T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
      { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
      { start: '2027-01-01T00:00:00.000Z', end: '2027-01-10T00:00:00.000Z' },
    ]);
  });
});

test('the sample policy states every default as a range with a source', () => {
  expect(Object.keys(A).sort()).toEqual(['adrRiskReduction', 'costPerAdr', 'paMinutesPerRequest', 'stepTherapyExceptionMinutesPerRequest']);
  for (const a of Object.values(A)) {
    expect(a!.low).toBeLessThanOrEqual(a!.high);
    expect(a!.source.length).toBeGreaterThan(30);
  }
});

describe.each(BACKENDS)('GET /admin/value on $name', (backend) => {
  // November 2026, the plan's rule: contraindicated 3 accepted + 1 overridden, dose 2 accepted, non-response 4
  // accepted, 2 step-therapy exemptions and 3 PA auto-approvals (no feedback), 5 missing-test cards accepted.
  // December: 1 contraindicated accepted. A card with no plan rule: 1 contraindicated accepted (defaults).
  const admin = seededAdmin(
    backend,
    async (store) => {
      const pgx = (pgxVerdict: string, over: Partial<DecisionSummary> = {}) => card({ planRuleId: rule, pgxVerdict, ...over });
      const accepted: DecisionSummary[] = [];
      const overridden: DecisionSummary[] = [];
      const nov = [
        ...Array.from({ length: 3 }, () => pgx('contraindicated')),
        ...Array.from({ length: 2 }, () => pgx('adjust')),
        ...Array.from({ length: 4 }, () => pgx('expected-ineffective')),
        ...Array.from({ length: 5 }, () => pgx('untested', { cardKind: 'pgx-missing-test' })),
      ];
      accepted.push(...nov);
      const over = pgx('contraindicated');
      overridden.push(over);
      const step = Array.from({ length: 2 }, () => card({ cardKind: 'step-exemption', pair: undefined, planRuleId: rule, stepTherapy: 'exempt' }));
      const pa = Array.from({ length: 3 }, () => card({ cardKind: 'pa-preview', pair: undefined, planRuleId: rule, paPathway: 'auto-approvable' }));
      const dec = pgx('contraindicated');
      const noPlan = card({ pgxVerdict: 'contraindicated', planRuleId: undefined });
      accepted.push(dec, noPlan);
      store.enqueueAudit(hookRecord({ time: '2026-11-10T10:00:00.000Z', decisions: [...nov, over, ...step, ...pa], hookInstance: 'v1' }));
      store.enqueueAudit(hookRecord({ time: '2026-12-03T10:00:00.000Z', decisions: [dec, noPlan], hookInstance: 'v2' }));
      await store.flush();
      const at = '2026-12-05T00:00:00.000Z';
      for (const c of accepted) await store.saveFeedback(feedbackOn(c, 'accepted', at));
      for (const c of overridden) await store.saveFeedback(feedbackOn(c, 'overridden', at));
    },
    { labels: buildLabels(kb), plans: buildPlanLookup(kb) },
  );

  test('per month and plan: avoided events counted, costs as ranges from the policy, the missing ones named', async () => {
    const res = await get(admin.app(), '/admin/value?since=2026-11-01&until=2027-01-01', auth);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(reportSchemaValidator('value-report')(r)).toBe(true);

    const nov = r.rows.find((x: { periodStart: string; plan: string }) => x.periodStart === '2026-11-01T00:00:00.000Z' && x.plan === plan.id);
    expect(nov).toMatchObject({
      planName: plan.name,
      periodEnd: '2026-12-01T00:00:00.000Z',
      contraindicatedAvoided: 3,
      doseErrorAvoided: 2,
      nonResponseAvoided: 4,
      stepTherapyExemptions: 2,
      paAutoApprovals: 3,
      testsOrdered: 5,
    });
    // 5 harm cards × adrRiskReduction × costPerAdr, low with low, high with high
    const e = nov.estimate;
    expect(e.adverseEventsAvoided.low).toBeCloseTo(5 * A.adrRiskReduction!.low, 9);
    expect(e.adverseEventsAvoided.high).toBeCloseTo(5 * A.adrRiskReduction!.high, 9);
    expect(e.adverseEventCostAvoided.low).toBeCloseTo(5 * A.adrRiskReduction!.low * A.costPerAdr!.low, 6);
    expect(e.adverseEventCostAvoided.high).toBeCloseTo(5 * A.adrRiskReduction!.high * A.costPerAdr!.high, 6);
    expect(e.administrativeMinutesSaved.low).toBeCloseTo(3 * A.paMinutesPerRequest!.low + 2 * A.stepTherapyExceptionMinutesPerRequest!.low, 9);
    expect(e.testingCost).toBeNull();
    expect(e.notEstimated.map((n: { estimate: string }) => n.estimate)).toEqual(['nonResponseCostAvoided', 'administrativeCostSaved', 'testingCost']);
    expect(e.avoidedCost.low).toBeLessThan(e.avoidedCost.high);

    const decRow = r.rows.find((x: { periodStart: string; plan: string }) => x.periodStart === '2026-12-01T00:00:00.000Z' && x.plan === plan.id);
    expect(decRow).toMatchObject({ contraindicatedAvoided: 1, testsOrdered: 0 });
    expect(r.rows.find((x: { plan: string }) => x.plan === 'unknown')).toMatchObject({ contraindicatedAvoided: 1, planName: 'No plan rule on the card' });
    expect(r.byPlan.find((x: { plan: string }) => x.plan === plan.id)).toMatchObject({ contraindicatedAvoided: 4, acceptedCards: 15 });
    const used = r.assumptions.find((x: { plan: string }) => x.plan === plan.id).values;
    expect(used.costPerAdr.source).toMatch(/Bates/);
    expect(r.method).toMatch(/never guessed/);
  });

  test('CSV beside JSON', async () => {
    const res = await get(admin.app(), '/admin/value?since=2026-11-01&until=2027-01-01&_format=csv', auth);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const { notes, rows } = readCsv(res.body);
    const [header, first] = rows;
    expect(header.slice(0, 5)).toEqual(['period_start', 'period_end', 'plan', 'plan_name', 'accepted_cards']);
    expect(first).toContain('2026-11-01T00:00:00.000Z');
    expect(res.body).toContain('testingCost (set testCost)');
    // the estimate's method and every assumption used, with its source, travel with the numbers
    expect(notes[1]).toMatch(/^method: .*never guessed/);
    const costNote = notes.find((n) => n.startsWith(`assumption (${plan.name}): costPerAdr = ${A.costPerAdr!.low} to ${A.costPerAdr!.high}`));
    expect(costNote).toMatch(/source: Bates DW/);
  });
});

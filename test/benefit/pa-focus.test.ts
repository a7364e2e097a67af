import type { Condition } from 'fhir/r4';
import { readExpression } from '../../src/benefit/criterion';
import { CriteriaEvaluations, narrowedFocus, previewPriorAuth, type CriterionEnv } from '../../src/benefit/prior-auth';
import type { PaCriterion } from '../../src/benefit/plan-catalogue';
import { ACS, condition, coverage, dispensed, draftOrder, record, sampleCatalogue, statement, STROKE } from './helpers';

const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const focusTypes = (expression: string) => readExpression(expression).focusTypes;

describe('PA criteria see only the resource types they name (narrowed focus)', () => {
  it('recognises the criteria shape it may narrow, and refuses anything that could reach other entries', () => {
    expect(focusTypes("entry.resource.ofType(Condition).where(code.coding.code = 'x').exists()")).toEqual(['Condition']);
    // reads no resource at all: evaluated over an empty bundle
    expect(focusTypes("%tried contains '32968'")).toEqual([]);
    expect(focusTypes('entry.resource.ofType(Condition).exists() and entry.count() > 3')).toBeUndefined();
    expect(focusTypes('entry.resource.ofType(DomainResource).exists()')).toBeUndefined();
    expect(focusTypes('entry.resource.ofType(Condition).where(subject.resolve().exists()).exists()')).toBeUndefined();
    expect(focusTypes('descendants().ofType(Condition).exists() and entry.resource.ofType(Condition).exists()')).toBeUndefined();
    expect(focusTypes('entry.resource.ofType(Condition).exists() and %resource.entry.exists()')).toBeUndefined();
    expect(focusTypes('entry.resource.ofType(Condition).exists() and %`context`.entry.exists()')).toBeUndefined();
    expect(focusTypes('entry.resource.ofType(Condition).where($this.code.exists()).exists()')).toBeUndefined();
    // the text of a string literal is not read as FHIRPath
    expect(focusTypes("entry.resource.ofType(Condition).where(note.text = 'see entry.resource').exists()")).toEqual(['Condition']);
    expect(focusTypes("entry.resource.ofType(Condition).exists() or entry.resource.ofType(MedicationDispense).exists()")).toEqual(['Condition', 'MedicationDispense']);
  });

  it('every sample-policy criterion gives the same result on the narrowed bundle as on the whole record', () => {
    const now = '2026-11-23T10:00:00Z';
    const records = [
      record(),
      record({ conditions: [ACS] }),
      record({ conditions: [ACS, STROKE] }),
      record({ conditions: [condition(ICD10, 'I21.4'), condition(ICD10, 'G45.9')] }),
      record({ conditions: [condition('http://snomed.info/sct', '90560007')], coverage: [coverage('PBH-PARTD-2026')] }),
      record({
        conditions: [condition(ICD10, 'M10.9'), condition(ICD10, 'I24.9')],
        dispenses: [dispensed('clopidogrel', '2026-10-01')],
        activeMedications: [statement('allopurinol', '2026-09-01')],
      }),
    ];
    const criteria = sampleCatalogue().plans.flatMap((p) => p.priorAuth.flatMap((s) => s.criteria));
    expect(criteria.some((c) => c.focusTypes)).toBe(true); // the optimisation is exercised
    let compared = 0;
    for (const r of records) {
      const request = new CriteriaEvaluations().of(r);
      const whole = request.bundle;
      for (const c of criteria) {
        const env: CriterionEnv = { pgx: { CYP2C19: { phenotype: 'Poor Metabolizer' } }, tried: ['32968'], now, order: draftOrder('ticagrelor') };
        const narrowed = narrowedFocus(request, c.focusTypes);
        if (c.focusTypes) {
          expect(narrowed.entry!.length).toBeLessThanOrEqual(whole.entry!.length);
          expect(narrowed.entry!.every((e) => c.focusTypes!.includes(e.resource!.resourceType))).toBe(true);
        } else expect(narrowed).toBe(whole);
        expect(c.evaluate(narrowed, env)).toEqual(c.evaluate(whole, env));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('keeps entry order and is built once per record and type set', () => {
    const a = condition(ICD10, 'I21.0') as Condition;
    const b = condition(ICD10, 'I24.0') as Condition;
    const request = new CriteriaEvaluations().of(record({ conditions: [a, b], dispenses: [dispensed('clopidogrel', '2026-10-01')] }));
    const n1 = narrowedFocus(request, ['Condition']);
    expect(n1.entry!.map((e) => e.resource)).toEqual([a, b]);
    expect(narrowedFocus(request, ['Condition'])).toBe(n1);
  });
});

describe('PA criteria are evaluated once per request, per order only when they read %order', () => {
  const set = (expression: string, evaluate: jest.Mock) => ({
    id: 'PA-TEST',
    description: 'test set',
    appliesTo: ['1116632'],
    pgxFrom: [],
    criteria: [{ ...readExpression(expression), id: 'c', description: 'criterion', expression, evaluate, attachment: 'note', whenNotMet: 'document' } as PaCriterion],
  });
  const env = (order: ReturnType<typeof draftOrder>): CriterionEnv => ({ pgx: {}, tried: [], now: '2026-11-23T10:00:00Z', order });

  it.each([
    ['entry.resource.ofType(Condition).exists()', 1],
    ["%order.id = 'x'", 2],
    ["%`order`.id = 'x'", 2],
  ])('%s → %i evaluation(s) for two draft orders of one request', (expression, evaluations) => {
    const evaluate = jest.fn(() => [true]);
    const plan = { lineOfBusiness: 'commercial' as const, priorAuthTimeframes: [], criteriaEvaluations: new CriteriaEvaluations() };
    const r = record({ conditions: [ACS] });
    for (const order of [draftOrder('ticagrelor', 'd1'), draftOrder('prasugrel', 'd2')]) {
      for (let i = 0; i < 2; i++) previewPriorAuth(set(expression, evaluate), r, env(order), plan);
    }
    expect(evaluate).toHaveBeenCalledTimes(evaluations);
    // a new request (a new record) evaluates again: nothing is kept between requests
    previewPriorAuth(set(expression, evaluate), record({ conditions: [ACS] }), env(draftOrder('ticagrelor', 'd1')), plan);
    expect(evaluate).toHaveBeenCalledTimes(evaluations + 1);
  });
});

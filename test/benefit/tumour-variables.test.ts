/** `%biomarker` and `%cdx` in PA criteria: read from the parse tree, keyed per request, empty when absent; the expedited pathway. */
import type { Bundle } from 'fhir/r4';
import { criterionCompiler, readExpression, type CriterionEnv } from '../../src/benefit/criterion';
import { CriteriaEvaluations, previewPriorAuth } from '../../src/benefit/prior-auth';
import type { PaCriteriaSet, PaCriterion } from '../../src/benefit/plan-catalogue';
import { draftOrder, NOW, record } from './helpers';

const EMPTY: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };
const base = (): CriterionEnv => ({ pgx: {}, tried: [], now: NOW, order: draftOrder('ticagrelor') });
const EGFR = { status: 'detected', variants: ['L858R'], summary: 'EGFR: detected (L858R) in the tumour' };
const CDX = { verdict: 'confirmed', summary: 'companion diagnostic for osimertinib: confirmed' };
const CDX_INDETERMINATE = { verdict: 'indeterminate', summary: 'companion diagnostic for osimertinib: indeterminate' };

const criterion = (id: string, expression: string, evaluate?: PaCriterion['evaluate']): PaCriterion => {
  const compiled = criterionCompiler()(expression);
  return { ...compiled, ...(evaluate ? { evaluate } : {}), id, description: id, expression, attachment: `${id} report`, whenNotMet: 'document' };
};

describe('tumour variables', () => {
  it('the parse tree names the markers a criterion reads', () => {
    const r = readExpression("%biomarker.EGFR.status = 'detected' and %biomarker.`PDL1`.value >= 1 and %cdx.verdict = 'confirmed'");
    expect([...r.variables].sort()).toEqual(['biomarker', 'cdx']);
    expect(r.members.get('biomarker')).toEqual(['EGFR', 'PDL1']);
  });

  it('an order without tumour results reads them as empty (unknown), not as an error', () => {
    const c = criterionCompiler()("%biomarker.EGFR.status = 'detected' and %cdx.verdict = 'confirmed'");
    expect(c.evaluate(EMPTY, base())).toEqual([]);
    expect(c.evaluate(EMPTY, { ...base(), biomarker: { EGFR }, cdx: CDX })).toEqual([true]);
  });

  it('the evidence names the tumour results read, and the result is keyed on their values', () => {
    const evaluate = jest.fn((focus: Bundle, env: CriterionEnv) => criterionCompiler()("%biomarker.EGFR.status = 'detected'").evaluate(focus, env));
    const set: PaCriteriaSet = { id: 'PA-T', description: 't', appliesTo: [], pgxFrom: [], criteria: [criterion('egfr', "%biomarker.EGFR.status = 'detected'", evaluate)] };
    const plan = { lineOfBusiness: 'commercial' as const, priorAuthTimeframes: [], criteriaEvaluations: new CriteriaEvaluations() };
    const r = record();
    const met = previewPriorAuth(set, r, { ...base(), biomarker: { EGFR } }, plan);
    expect(met.criteria[0]).toMatchObject({ result: 'met', evidence: EGFR.summary });
    previewPriorAuth(set, r, { ...base(), biomarker: { EGFR } }, plan);
    expect(evaluate).toHaveBeenCalledTimes(1);
    const none = previewPriorAuth(set, r, base(), plan);
    expect(none.criteria[0]).toMatchObject({ result: 'unknown', evidence: 'EGFR: no tumour result on file' });
    expect(evaluate).toHaveBeenCalledTimes(2);
  });

  it('the expedited determination comes first when every criterion is met and its condition holds', () => {
    const timeframe = { label: 'Same-day determination', value: 'same day', source: 'plan terms' };
    const set: PaCriteriaSet = {
      id: 'PA-T',
      description: 't',
      appliesTo: [],
      pgxFrom: [],
      criteria: [criterion('egfr', "%biomarker.EGFR.status = 'detected'")],
      expedited: { description: 'CDx confirmed', when: criterion('PA-T#expedited', "%cdx.verdict = 'confirmed'"), timeframe },
    };
    const plan = { lineOfBusiness: 'commercial' as const, priorAuthTimeframes: [{ label: 'Standard', value: '5 days', source: 'state law' }], criteriaEvaluations: new CriteriaEvaluations() };
    const fast = previewPriorAuth(set, record(), { ...base(), biomarker: { EGFR }, cdx: CDX }, plan);
    expect(fast.determination).toEqual({ description: 'CDx confirmed', timeframe, evidence: CDX.summary });
    expect(fast.timeframes.map((t) => t.value)).toEqual(['same day', '5 days']);
    const slow = previewPriorAuth(set, record(), { ...base(), biomarker: { EGFR }, cdx: CDX_INDETERMINATE }, plan);
    expect(slow.determination).toBeUndefined();
    expect(slow.timeframes.map((t) => t.value)).toEqual(['5 days']);
  });
});

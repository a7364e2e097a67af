import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Extension } from 'fhir/r4';
import { assessBenefit, CRD_COVERAGE_INFORMATION_URL } from '../../src/benefit';
import { buildCoverageInformation } from '../../src/benefit/coverage-information';
import { ACS, NOW, gene, input } from './helpers';

// The invariants of HL7/davinci-crd CoverageInformation.fsh, evaluated on what we emit.
const INVARIANTS = {
  'crd-ci-q2': "extension.where(url = 'covered' and value != 'not-covered') implies extension.where(url = 'pa-needed').exists()",
  'crd-ci-q4':
    "extension.where(url = 'pa-needed' and value = 'satisfied') and extension.where(url = 'doc-purpose').exists() implies extension.where(url = 'doc-purpose').all(value != 'PA')",
  'crd-ci-q5':
    "extension.where(url = 'pa-needed' and value = 'satisfied').exists() = extension.where(url = 'satisfied-pa-id').exists()",
};
const sub = (e: Extension, url: string) => e.extension!.filter((x) => x.url === url);

function holds(e: Extension, expr: string): unknown[] {
  return fhirpath.evaluate(e, { base: 'Extension', expression: expr }, undefined, r4) as unknown[];
}

function expectValidShape(e: Extension) {
  expect(e.url).toBe(CRD_COVERAGE_INFORMATION_URL);
  for (const [name, expr] of Object.entries(INVARIANTS)) {
    // evaluated with the Extension type so `value` resolves the choice type; only [false] is a violation
    const result = holds(e, expr);
    expect([name, result]).not.toEqual([name, [false]]);
  }
  for (const required of ['coverage', 'covered', 'date', 'coverage-assertion-id']) expect(sub(e, required)).toHaveLength(1);
  expect(sub(e, 'date')[0]!.valueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(['covered', 'not-covered', 'conditional', 'indeterminate']).toContain(sub(e, 'covered')[0]!.valueCode);
}

describe('CRD ext-coverage-information', () => {
  const pm = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };

  it('covered, no PA: covered / no-auth, on the patient Coverage, dated from `now`', () => {
    const e = assessBenefit(input('sertraline', {})).coverageInformation;
    expectValidShape(e);
    expect(sub(e, 'coverage')[0]!.valueReference).toEqual({ reference: 'Coverage/cov1', display: 'Sample Payer' });
    expect(sub(e, 'covered')[0]!.valueCode).toBe('covered');
    expect(sub(e, 'pa-needed')[0]!.valueCode).toBe('no-auth');
    expect(sub(e, 'doc-needed')).toHaveLength(0);
    expect(sub(e, 'date')[0]!.valueDate).toBe('2026-11-23');
  });

  it('PA drug: auth-needed, clinical documentation with PA, pathway in a detail', () => {
    const e = assessBenefit(input('ticagrelor', pm, { record: { conditions: [ACS] } })).coverageInformation;
    expectValidShape(e);
    expect(sub(e, 'pa-needed')[0]!.valueCode).toBe('auth-needed');
    expect(sub(e, 'doc-needed')[0]!.valueCode).toBe('clinical');
    expect(sub(e, 'doc-purpose')[0]!.valueCode).toBe('withpa');
    const pathway = sub(e, 'detail').find((d) => d.extension![0]!.valueCodeableConcept!.coding![0]!.code === 'prior-auth-pathway');
    expect(pathway?.extension![1]!.valueString).toBe('auto-approvable');
  });

  it('not on formulary: not-covered and no pa-needed (crd-ci-q2)', () => {
    const e = assessBenefit(input('pitavastatin', {})).coverageInformation;
    expectValidShape(e);
    expect(sub(e, 'covered')[0]!.valueCode).toBe('not-covered');
    expect(sub(e, 'pa-needed')).toHaveLength(0);
  });

  it('step therapy required: conditional with a limitation detail', () => {
    const e = assessBenefit(input('oxycodone', {})).coverageInformation;
    expectValidShape(e);
    expect(sub(e, 'covered')[0]!.valueCode).toBe('conditional');
    expect(JSON.stringify(sub(e, 'detail'))).toMatch(/step-therapy.*required: codeine not-met/);
  });

  it('drug with no ingredient: indeterminate', () => {
    const base = input('sertraline', {});
    const a = assessBenefit({ ...base, drug: { display: 'mystery tablet', recognised: false } });
    expectValidShape(a.coverageInformation);
    expect(sub(a.coverageInformation, 'covered')[0]!.valueCode).toBe('indeterminate');
    expect(sub(a.coverageInformation, 'pa-needed')[0]!.valueCode).toBe('indeterminate');
  });

  it('coverage-assertion-id is stable for the same assertion and differs for another', () => {
    const id = (a: ReturnType<typeof assessBenefit>) => sub(a.coverageInformation, 'coverage-assertion-id')[0]!.valueString;
    const one = assessBenefit(input('sertraline', {}));
    expect(id(one)).toBe(id(assessBenefit(input('sertraline', {}))));
    expect(id(one)).not.toBe(id(assessBenefit({ ...input('sertraline', {}), now: '2026-11-24T00:00:00Z' })));
    expect(id(one)).toMatch(/^pbh-[0-9a-f]{24}$/);
  });

  it('the invariant check bites: a hand-made violation of crd-ci-q2 is caught', () => {
    const e = buildCoverageInformation({ covered: 'covered', paNeeded: 'no-auth', details: [], now: NOW, assertionId: 'x' });
    expect(holds(e, INVARIANTS['crd-ci-q2'])).toEqual([true]);
    const broken = { ...e, extension: e.extension!.filter((x) => x.url !== 'pa-needed') };
    expect(holds(broken, INVARIANTS['crd-ci-q2'])).toEqual([false]);
  });

  it('a Coverage without id still yields the required coverage element', () => {
    const e = buildCoverageInformation({ covered: 'indeterminate', details: [], now: NOW, assertionId: 'x' });
    expect(sub(e, 'coverage')[0]!.valueReference).toEqual({ display: 'coverage not identified' });
  });
});

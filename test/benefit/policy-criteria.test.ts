import type { Condition } from 'fhir/r4';
import { patientBundle, type CriterionEnv } from '../../src/benefit/prior-auth';
import { condition, draftOrder, record, sampleCatalogue } from './helpers';

const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';

/**
 * The sample policy's problem-list criteria, pinned against a plain statement of what each one means
 * (any Condition with a coding in the value set, or an ICD-10-CM code under one of the prefixes), so the
 * way the FHIRPath is written (tuned for evaluation cost) cannot drift from the rule it encodes.
 */
const RULES: Record<string, { snomed: string[]; icdPrefixes: string[]; negated?: boolean }> = {
  indication: { snomed: ['394659003', '22298006', '401303003', '401314000'], icdPrefixes: ['I21', 'I24'] },
  'no-stroke-or-tia': { snomed: ['230690007', '266257000'], icdPrefixes: ['I63', 'G45'], negated: true },
  gout: { snomed: ['90560007'], icdPrefixes: ['M10'] },
};

function expected(rule: (typeof RULES)[string], conditions: Condition[]): boolean {
  const hit = conditions.some((c) =>
    (c.code?.coding ?? []).some(
      (k) =>
        (k.system === SNOMED && rule.snomed.includes(k.code!)) ||
        (k.system === ICD10 && rule.icdPrefixes.some((p) => k.code!.startsWith(p))),
    ),
  );
  return rule.negated ? !hit : hit;
}

describe('sample policy problem-list criteria mean exactly their value sets', () => {
  const criteria = sampleCatalogue().plans.flatMap((p) => p.priorAuth.flatMap((s) => s.criteria.map((c) => ({ set: s.id, c }))));
  const env: CriterionEnv = { pgx: {}, tried: [], now: '2026-11-23T10:00:00Z', order: draftOrder('ticagrelor') };

  // every code in every value set, the ICD prefixes with and without a suffix, and near misses
  const probes: Condition[][] = [[]];
  for (const rule of Object.values(RULES)) {
    for (const code of rule.snomed) probes.push([condition(SNOMED, code)], [condition(ICD10, code)]);
    for (const p of rule.icdPrefixes) probes.push([condition(ICD10, p)], [condition(ICD10, `${p}.9`)], [condition(SNOMED, `${p}.9`)]);
  }
  probes.push(
    [condition(ICD10, 'I22.0')],
    [condition(ICD10, 'I2')],
    [condition(SNOMED, '39465900')],
    [condition(SNOMED, '414545008'), condition(ICD10, 'E11.9')],
    [condition(SNOMED, '414545008'), condition(ICD10, 'I21.4'), condition(SNOMED, '230690007')],
    [{ resourceType: 'Condition', subject: { reference: 'Patient/x' }, code: { coding: [{ system: ICD10, code: 'E11.9' }, { system: SNOMED, code: '90560007' }] } }],
  );

  it.each(Object.keys(RULES))('%s', (id) => {
    const found = criteria.filter(({ c }) => c.id === id);
    expect(found.length).toBeGreaterThan(0);
    let checked = 0;
    for (const conditions of probes) {
      const bundle = patientBundle(record({ conditions }));
      for (const { set, c } of found) {
        const want = expected(RULES[id]!, conditions);
        expect({ set, id, codes: conditions.map((k) => k.code?.coding), result: c.evaluate(bundle, env) }).toEqual({
          set,
          id,
          codes: conditions.map((k) => k.code?.coding),
          result: [want],
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

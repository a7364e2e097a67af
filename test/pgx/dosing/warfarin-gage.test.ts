/**
 * Warfarin dose estimate by the Gage 2008 pharmacogenetic algorithm (the equation behind WarfarinDosing.org),
 * beside IWPC. Expected values are hand calculations from the coefficients in terminology/sources/
 * warfarin-dosing.yaml — Gage BF et al., Clin Pharmacol Ther 2008;84(3):326-331 (doi:10.1038/clpt.2008.10):
 * daily dose (mg) = exp(0.9751 − 0.3238·VKORC1 -1639 A alleles + 0.4317·BSA − 0.4008·CYP2C9*3 alleles
 * − 0.00745·age − 0.2066·CYP2C9*2 alleles + 0.2029·target INR − 0.2538·amiodarone
 * + 0.0922·smoker − 0.0901·African-American race + 0.0664·DVT/PE), BSA by Mosteller √(cm·kg/3600).
 * The equation, its units (mg/day, BSA in m²) and its coding are as PharmGKB's literature page for the paper
 * states them (https://www.pharmgkb.org/pmid/18305455): "the SNPs are coded 0 if absent, 1 if heterozygous, and
 * 2 if homozygous, and race is coded as 1 if African American and 0 otherwise"; the slopes also match the
 * per-unit effects in the paper's abstract (PMC2683977). The BSA formula is named in no source read (see the
 * YAML). No published worked example was found in the sources available here, so each expectation shows its
 * arithmetic.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app';
import { testConfig } from '../../support/config';
import type { HookResponse } from '../../../src/cdshooks/types';
import { buildHookRequest, type ExampleSpec } from '../../../src/sample-patients/build-request';
import { loadDoseKnowledge } from '../../../src/loaders/drugs';
import { projectPath } from '../../../src/paths';
import type { GageAlgorithm } from '../../../src/pgx/dose-algorithms';
import { bodySurfaceArea, estimateGage } from '../../../src/pgx/dose-gage';
import { readPatientFacts, type PatientFacts } from '../../../src/pgx/patient-facts';
import type { GeneResult, GenomicProfile } from '../../../src/pgx/types';
import { bindings, cardFor, spec } from '../../scenarios/helpers';

const NOW = '2026-11-23T09:00:00.000Z';
const gage = loadDoseKnowledge(projectPath('terminology'))
  .byDrug.get('warfarin')!
  .find((a): a is GageAlgorithm => a.output === 'ln-daily-mg')!;

describe('Gage algorithm: unit arithmetic from the published coefficients', () => {
  const gene = (g: string, lookupKey: string | undefined, alleles: string[]): GeneResult => ({
    gene: g,
    status: 'determinate',
    diplotype: alleles.join('/'),
    alleles: alleles.map((name) => ({ name })),
    phenotype: 'x',
    sources: [],
    ...(lookupKey ? { lookupKey } : {}),
  });
  const profile: GenomicProfile = {
    VKORC1: gene('VKORC1', '-1639 AA', ['rs9923231 variant (T)', 'rs9923231 variant (T)']),
    CYP2C9: gene('CYP2C9', undefined, ['*2', '*3']),
    CYP4F2: gene('CYP4F2', undefined, ['*1', '*1']),
  };
  const facts = (over: Partial<PatientFacts> = {}): PatientFacts => ({
    ageYears: 46,
    heightCm: { value: 165, source: 'Observation/h' },
    weightKg: { value: 90, source: 'Observation/w' },
    raceCodes: ['2054-5'],
    raceDisplays: {},
    smokingStatus: { codings: [{ system: 'http://snomed.info/sct', code: '449868002' }], display: 'Current every day smoker' },
    targetInr: { value: 3, words: '3 (recorded target)' },
    activeConditions: [],
    ...over,
  });
  const ctx = (f: PatientFacts, amiodarone = true) => ({
    facts: f,
    profile,
    activeDrugs: amiodarone ? [{ display: 'amiodarone', recognised: true, cpicDrug: 'amiodarone' }] : [],
    medicationsKnown: true,
    conditionsKnown: true,
  });

  it('BSA by Mosteller: √(165 · 90 / 3600) = 2.0310 m²', () => {
    expect(bodySurfaceArea('mosteller', 165, 90)).toBeCloseTo(2.0310096, 6);
  });

  it('46 y, 165 cm, 90 kg, VKORC1 AA, CYP2C9 *2/*3, target INR 3, amiodarone, smoker, Black or African American, no DVT/PE → 12.9 mg/week', () => {
    // ln(dose) = 0.9751 − 0.3238·2 + 0.4317·2.031010 − 0.4008 − 0.00745·46 − 0.2066 + 0.2029·3 − 0.2538 + 0.0922
    //          − 0.0901 = 0.611187 → 1.8426 mg/day = 12.898 mg/week
    const e = estimateGage(gage, ctx(facts()));
    expect(e.status).toBe('estimated');
    expect(e.weeklyMg).toBe(12.9);
    expect(e.missing).toEqual([]);
    expect(e.notes.join(' ')).toContain('= 0.6112; dose = 1.84 mg/day');
    expect(e.inputs.find((i) => i.name === 'African-American race')!.value).toContain('yes');
  });

  it('an active DVT coded in ICD-10-CM (I82.401) adds +0.0664', () => {
    // 0.611187 + 0.0664 = 0.677587 → 1.9691 mg/day = 13.78 mg/week
    const f = facts({
      activeConditions: [{ codings: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I82.401' }], display: 'Acute DVT', source: 'Condition/c1' }],
    });
    const e = estimateGage(gage, ctx(f));
    expect(e.weeklyMg).toBe(13.8);
    expect(e.inputs.find((i) => i.name === 'Current DVT/PE')!.value).toBe('yes (Acute DVT)');
  });

  describe('PharmGKB\'s coding: each SNP counts its alleles (0, 1, 2); every yes/no term 0 when absent', () => {
    // 60 y, 170 cm, 75 kg, target INR 2.5, White, never smoker, no amiodarone, no DVT/PE:
    // BSA = √(170 · 75 / 3600) = 1.881932 m²; ln(dose) = 0.9751 + 0.4317·1.881932 − 0.00745·60 + 0.2029·2.5
    //     = 1.847780 before the genotype terms
    const reference = facts({
      ageYears: 60,
      heightCm: { value: 170, source: 'Observation/h' },
      weightKg: { value: 75, source: 'Observation/w' },
      raceCodes: ['2106-3'],
      smokingStatus: { codings: [{ system: 'http://snomed.info/sct', code: '266919005' }], display: 'Never smoker' },
      targetInr: { value: 2.5, words: '2.5 (recorded target)' },
    });
    const withGenes = (vkorc1: string, cyp2c9: string[]) =>
      estimateGage(gage, {
        ...ctx(reference, false),
        profile: { ...profile, VKORC1: gene('VKORC1', vkorc1, ['x', 'y']), CYP2C9: gene('CYP2C9', undefined, cyp2c9) },
      });
    it.each([
      // [VKORC1, CYP2C9, ln(dose), mg/day, mg/week]
      ['-1639 GG', ['*1', '*1'], '1.8478', '6.35', 44.4], // exp(1.847780) = 6.3457 mg/day
      ['-1639 GG', ['*3', '*3'], '1.0462', '2.85', 19.9], // 1.847780 − 2·0.4008 = 1.046180 → 2.8468
      ['-1639 AA', ['*1', '*1'], '1.2002', '3.32', 23.2], // 1.847780 − 2·0.3238 = 1.200180 → 3.3207
      ['-1639 AG', ['*1', '*3'], '1.1232', '3.07', 21.5], // 1.847780 − 0.3238 − 0.4008 = 1.123180 → 3.0746
    ])('VKORC1 %s, CYP2C9 %j → ln %s, %s mg/day, %s mg/week', (vk, c9, ln, daily, weekly) => {
      const e = withGenes(vk as string, c9 as string[]);
      expect(e.status).toBe('estimated');
      expect(e.notes.join(' ')).toContain(`= ${ln}; dose = ${daily} mg/day`);
      expect(e.weeklyMg).toBe(weekly);
    });
  });

  it('race not recorded: not computed (the equation needs it; never inferred), and said why', () => {
    const e = estimateGage(gage, ctx(facts({ raceCodes: [] })));
    expect(e.status).toBe('not-estimated');
    expect(e.missing).toEqual(['race (not recorded)']);
    expect(e.inputs.find((i) => i.name === 'African-American race')!.value).toContain('ancestry is not inferred');
  });

  it('"Unknown if ever smoked" (266927001) does not say whether the patient smokes now: smoking status missing', () => {
    const e = estimateGage(gage, ctx(facts({ smokingStatus: { codings: [{ system: 'http://snomed.info/sct', code: '266927001' }], display: 'Unknown if ever smoked' } })));
    expect(e.status).toBe('not-estimated');
    expect(e.missing).toEqual(['smoking status (current smoking not known)']);
  });

  it('a CYP2C9 allele Gage does not model and CPIC does not adjust for (*4): not computed', () => {
    const e = estimateGage(gage, { ...ctx(facts()), profile: { ...profile, CYP2C9: gene('CYP2C9', undefined, ['*1', '*4']) } });
    expect(e.status).toBe('not-estimated');
    expect(e.missing).toEqual(['CYP2C9 (allele *4 is not modelled by the Gage equation)']);
  });

  it('a child: not estimated (adult algorithm)', () => {
    const e = estimateGage(gage, ctx(facts({ ageYears: 12 })));
    expect(e.status).toBe('not-estimated');
    expect(e.notes[0]).toContain('derived in adults');
  });
});

describe('the record facts Gage reads', () => {
  const codes = { smokingStatusLoinc: '72166-2', targetInrLoinc: '6301-6' };
  const race = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
  it('a resolved or refuted PE is not current; an active Goal range gives its midpoint, said; the latest smoking status wins', () => {
    const f = readPatientFacts(undefined, [
      { resourceType: 'Observation', id: 's1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] }, effectiveDateTime: '2025-01-01', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '449868002' }] } },
      { resourceType: 'Observation', id: 's2', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] }, effectiveDateTime: '2026-01-01', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006' }] } },
    ], NOW, race, {
      codes,
      goals: [
        { resourceType: 'Goal', id: 'old', lifecycleStatus: 'cancelled', description: { text: 'x' }, subject: { reference: 'Patient/p' }, target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '6301-6' }] }, detailQuantity: { value: 3 } }] },
        { resourceType: 'Goal', id: 'g', lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: 'Patient/p' }, target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '6301-6' }] }, detailRange: { low: { value: 2.5 }, high: { value: 3.5 } } }] },
      ],
      conditions: [
        { resourceType: 'Condition', id: 'pe', subject: { reference: 'Patient/p' }, clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '59282003' }] } },
        { resourceType: 'Condition', id: 'pe2', subject: { reference: 'Patient/p' }, clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ code: 'refuted' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '59282003' }] } },
      ],
    });
    expect(f.activeConditions).toEqual([]);
    expect(f.targetInr).toEqual({ value: 3, words: '3 — midpoint of the recorded target range 2.5–3.5', source: 'Goal/g' });
    expect(f.smokingStatus?.source).toBe('Observation/s2');
  });
});

describe('Gage algorithm over HTTP, beside IWPC', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig(), { now: () => new Date(NOW) });
    await app.ready();
  });
  afterAll(() => app.close());

  const WARFARIN = { rxcui: '11289', display: 'warfarin sodium 5 MG Oral Tablet' };
  const DVT = { system: 'http://snomed.info/sct', code: '128053003', display: 'Deep venous thrombosis' };
  const dan = (change: Partial<ExampleSpec> = {}): ExampleSpec => {
    const base = spec('pbh-dan');
    return {
      ...base,
      orders: [WARFARIN],
      vitals: { heightCm: 178, weightKg: 82, daysAgo: 30 },
      smokingStatus: { code: '266919005', display: 'Never smoker', daysAgo: 60 },
      targetInr: { low: 2, high: 3 },
      conditions: [...base.conditions, DVT],
      ...change,
    };
  };
  async function warfarinCard(p: ExampleSpec) {
    const body = buildHookRequest(p, { hook: 'order-sign', now: NOW, bindings, hookInstance: randomUUID() });
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    expect(res.statusCode).toBe(200);
    return cardFor((res.json() as HookResponse).cards, 'warfarin');
  }

  it('Dan with every Gage input recorded: IWPC first (20.9 mg/week), then Gage 22.3 mg/week with each input', async () => {
    // BSA = √(178 · 82 / 3600) = 2.013565 m²; target INR range 2–3 → midpoint 2.5; 72 y; VKORC1 AG (1 A allele);
    // CYP2C9 *1/*3; never smoker; White; active DVT:
    // ln(dose) = 0.9751 − 0.3238 + 0.4317·2.013565 − 0.4008 − 0.00745·72 + 0.2029·2.5 + 0.0664 = 1.157006
    // → 3.1804 mg/day = 22.26 mg/week
    const card = await warfarinCard(dan());
    const d = card.detail!;
    const iwpc = d.indexOf('**Estimated starting dose (IWPC pharmacogenetic warfarin dosing algorithm)**: 20.9 mg/week');
    const g = d.indexOf('**Estimated starting dose (Gage pharmacogenetic warfarin dosing algorithm (WarfarinDosing.org))**: 22.3 mg/week (3.2 mg/day)');
    expect(iwpc).toBeGreaterThan(-1);
    expect(g).toBeGreaterThan(iwpc);
    const gagePart = d.slice(g);
    expect(gagePart).toMatch(/Body surface area: 2\.01 m² \(Mosteller, √\(height cm × weight kg \/ 3600\); 178 cm, 82 kg\) _\(Observation\/pbh-dan-height, Observation\/pbh-dan-weight\)_ \[term \+0\.8693\]/);
    expect(gagePart).toContain('Target INR: 2.5 — midpoint of the recorded target range 2–3 _(Goal/pbh-dan-inr-goal)_ [term +0.5073]');
    expect(gagePart).toContain('Age: 72 years _(Patient.birthDate)_ [term -0.5364]');
    expect(gagePart).toContain('VKORC1 -1639G\\>A (rs9923231): -1639 AG (1 A allele) [term -0.3238]');
    expect(gagePart).toContain('CYP2C9 \\*2 and \\*3: \\*1/\\*3: 0 × \\*2, 1 × \\*3 [term -0.4008]');
    expect(gagePart).toContain('Amiodarone: none among active medications [term +0]');
    expect(gagePart).toMatch(/Smoker: no \(Never smoker\) _\(Observation\/pbh-dan-smoking, \d{4}-\d{2}-\d{2}\)_ \[term \+0\]/);
    expect(gagePart).toContain('African-American race: no — race recorded as White _(Patient US Core race)_ [term +0]');
    expect(gagePart).toContain('Current DVT/PE: yes (Deep venous thrombosis)');
    expect(gagePart).toContain('ln(daily dose) = 0.9751 -0.5364 +0.8693 +0.5073 -0.3238 -0.4008 +0.0664 = 1.157; dose = 3.18 mg/day.');
    expect(gagePart).toContain('Gage BF et al., Clin Pharmacol Ther 2008;84(3):326-331');
  });

  it('no target INR recorded: IWPC as before; Gage named as not computed, and why', async () => {
    const card = await warfarinCard(dan({ targetInr: undefined }));
    const d = card.detail!;
    expect(d).toContain('**Estimated starting dose (IWPC pharmacogenetic warfarin dosing algorithm)**: 20.9 mg/week (3.0 mg/day)');
    expect(d).toContain('**Gage pharmacogenetic warfarin dosing algorithm (WarfarinDosing.org): not computed** — missing target INR (no active Goal with an INR target).');
    expect(d).toContain('❔ Target INR: not recorded (an active Goal with target measure LOINC 6301-6)');
    expect(d).toContain('The Gage equation has no term for a missing input');
    expect(d).not.toContain('22.3 mg/week');
  });

  it('nothing Gage-specific recorded (the original Dan): Gage names all three missing inputs', async () => {
    const base = spec('pbh-dan');
    const card = await warfarinCard({ ...base, orders: [WARFARIN], vitals: { heightCm: 178, weightKg: 82, daysAgo: 30 } });
    expect(card.detail).toContain('missing target INR (no active Goal with an INR target), smoking status (not recorded)');
    expect(card.detail).toContain('Current DVT/PE: no active DVT or PE condition recorded');
  });
});

/**
 * Warfarin dose estimate over HTTP: the IWPC pharmacogenetic algorithm with CPIC's 2017 adjustments.
 * Expected values are hand calculations from the published coefficients — IWPC, N Engl J Med
 * 2009;360:753-764, Supplementary Appendix (√weekly dose = 5.6044 − 0.2614·age decade + 0.0087·height cm
 * + 0.0128·weight kg − 0.8677 VKORC1 A/G − 1.6974 A/A − 0.4854 VKORC1 unknown − 0.5211 CYP2C9 *1/*2
 * − 0.9357 *1/*3 − 1.0616 *2/*2 − 1.9206 *2/*3 − 2.3312 *3/*3 − 0.2188 CYP2C9 unknown − 0.1092 Asian
 * − 0.2760 Black or African American − 0.1032 missing or mixed race + 1.1816 enzyme inducer − 0.5503
 * amiodarone) — and CPIC's warfarin guideline 2017 (PMID 28198005), Figure 2 (CYP2C9 *5/*6/*8/*11: 15–30%
 * lower; CYP4F2*3 carrier, non-African ancestry: 5–10% higher). No published worked example was found in the
 * sources available here, so each expectation shows its arithmetic.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app';
import { testConfig } from '../../support/config';
import type { HookResponse } from '../../../src/cdshooks/types';
import { buildHookRequest, type ExampleSpec } from '../../../src/sample-patients/build-request';
import { bindings, cardFor, spec } from '../../scenarios/helpers';

const NOW = '2026-11-23T09:00:00.000Z';
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(testConfig(), { now: () => new Date(NOW) });
  await app.ready();
});
afterAll(() => app.close());

const WARFARIN = { rxcui: '11289', display: 'warfarin sodium 5 MG Oral Tablet' };

function patient(change: Partial<ExampleSpec>, demographics: Partial<ExampleSpec['demographics']> = {}): ExampleSpec {
  const base = spec('pbh-dan');
  return { ...base, orders: [WARFARIN], ...change, demographics: { ...base.demographics, ...demographics } };
}

async function warfarinCard(p: ExampleSpec) {
  const body = buildHookRequest(p, { hook: 'order-sign', now: NOW, bindings, hookInstance: randomUUID() });
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  return cardFor((res.json() as HookResponse).cards, 'warfarin');
}

describe('warfarin: IWPC dose estimate from the patient record', () => {
  it('Dan: 72 y, 178 cm, 82 kg, White, VKORC1 -1639 AG, CYP2C9 *1/*3, CYP4F2 *1/*1, no inducer/amiodarone → 20.9 mg/week', async () => {
    // √dose = 5.6044 − 0.2614·7 + 0.0087·178 + 0.0128·82 − 0.8677 − 0.9357 = 4.5694 → 20.88 mg/week (2.98 mg/day)
    const card = await warfarinCard(patient({ vitals: { heightCm: 178, weightKg: 82, daysAgo: 30 } }));
    expect(card.detail).toContain('**Estimated starting dose (IWPC pharmacogenetic warfarin dosing algorithm)**: 20.9 mg/week (3.0 mg/day)');
    expect(card.detail).toContain('Age: 72 years (decade 7)');
    expect(card.detail).toMatch(/Height: 178 cm _\(Observation\/pbh-dan-height, \d{4}-\d{2}-\d{2}\)_/);
    expect(card.detail).toContain('Weight: 82 kg');
    expect(card.detail).toContain('VKORC1 -1639G\\>A (rs9923231): -1639 AG');
    expect(card.detail).toMatch(/CYP2C9: \\\*1\/\\\*3 \[term -0.9357\]/);
    expect(card.detail).toContain('Race: White (recorded) — IWPC "white"');
    expect(card.detail).toContain('Amiodarone: none among active medications');
    expect(card.detail).toContain('CYP4F2 (CPIC adjustment): \\*1/\\*1 \\*3 noncarrier');
    expect(card.detail).not.toContain('Missing inputs');
  });

  it('CYP2C9 *1/*8, no VKORC1 result, amiodarone, race Black or African American: IWPC terms, then CPIC 15–30% lower; CYP4F2 *3 increase not applied', async () => {
    // age 46 (decade 4), 165 cm, 90 kg; VKORC1 unknown −0.4854; CYP2C9 *1/*8 → IWPC *1/*1 (0); Black −0.2760;
    // amiodarone −0.5503: √dose = 5.6044 − 1.0456 + 1.4355 + 1.152 − 0.4854 − 0.2760 − 0.5503 = 5.8346
    // → 34.04 mg/week; CPIC heterozygous *8: × (1 − 0.30) … × (1 − 0.15) = 23.8–28.9 mg/week
    const p = patient(
      {
        genotypes: [
          { gene: 'CYP2C9', value: 'CYP2C9 *1/*8', daysAgo: 100 },
          { gene: 'CYP4F2', value: 'CYP4F2 *1/*3', daysAgo: 100 },
        ],
        activeMedications: [{ rxcui: '703', display: 'amiodarone 200 MG Oral Tablet' }],
        vitals: { heightCm: 165, weightKg: 90, daysAgo: 10 },
      },
      { birthDate: '1980-06-15', race: '2054-5' },
    );
    const card = await warfarinCard(p);
    expect(card.detail).toContain('23.8–28.9 mg/week (3.4–4.1 mg/day) after CPIC\'s adjustment; the algorithm alone gives 34 mg/week');
    expect(card.detail).toMatch(/Adjustment: CYP2C9 \\\*5\/\\\*6\/\\\*8\/\\\*11 \(one allele\): decrease the calculated dose by 15–30%/);
    expect(card.detail).toContain('VKORC1 -1639G\\>A (rs9923231): no result — IWPC "genotype unknown" term');
    expect(card.detail).toContain('Amiodarone: yes (amiodarone)');
    expect(card.detail).toContain('Race: Black or African American (recorded) — IWPC "black or african american"');
    expect(card.detail).toMatch(/CPIC's 5–10% increase is for non-African ancestry; not applied/);
    expect(card.detail).toContain('Missing inputs: VKORC1');
  });

  it('no race recorded: the algorithm\'s missing-or-mixed category, said as such; carbamazepine counts as an inducer; CYP4F2*3 +5–10%', async () => {
    // age 65 (born 1961-05-02; decade 6), 160 cm, 60 kg, VKORC1 A/A −1.6974, CYP2C9 *3/*3 −2.3312, inducer +1.1816,
    // missing or mixed race −0.1032: √dose = 5.6044 − 1.5684 + 1.392 + 0.768 − 1.6974 − 2.3312 + 1.1816 − 0.1032
    // = 3.2458 → 10.53 mg/week; CYP4F2 *3 carrier × 1.05 … × 1.10 = 11.1–11.6 mg/week
    const p = patient(
      {
        genotypes: [
          { gene: 'CYP2C9', value: 'CYP2C9 *3/*3', daysAgo: 100 },
          { gene: 'VKORC1', value: 'VKORC1 rs9923231 T/T', daysAgo: 100 },
          { gene: 'CYP4F2', value: 'CYP4F2 *1/*3', daysAgo: 100 },
        ],
        activeMedications: [{ rxcui: '2002', display: 'carbamazepine 200 MG Oral Tablet' }],
        vitals: { heightCm: 160, weightKg: 60, daysAgo: 10 },
      },
      { birthDate: '1961-05-02', race: undefined },
    );
    const card = await warfarinCard(p);
    expect(card.detail).toContain('11.1–11.6 mg/week');
    expect(card.detail).toContain('the algorithm alone gives 10.5 mg/week');
    expect(card.detail).toContain('Race: not recorded — IWPC "missing or mixed race" category used (ancestry is not inferred)');
    expect(card.detail).toContain('yes (carbamazepine)');
    expect(card.detail).toMatch(/CYP4F2 \\\*3 carrier: increase the dose by 5–10%.*ancestry is not recorded/);
    expect(card.detail).toContain('Missing inputs: race');
  });

  it('no height or weight on file: no estimate, and the missing inputs are named', async () => {
    const card = await warfarinCard(patient({ vitals: undefined }));
    expect(card.detail).toContain('**No dose estimate (IWPC pharmacogenetic warfarin dosing algorithm)**: missing height, weight');
    expect(card.detail).toContain('❔ Height: not recorded (LOINC 8302-2)');
    expect(card.detail).toContain('Age: 72 years');
  });

  it('two race categories recorded: IWPC\'s missing-or-mixed term (−0.1032), never one of them picked', async () => {
    // as Dan (first case) but missing-or-mixed instead of White: √dose = 4.5694 − 0.1032 = 4.4662 → 19.947 mg/week
    const body = buildHookRequest(patient({ vitals: { heightCm: 178, weightKg: 82, daysAgo: 30 } }), { hook: 'order-sign', now: NOW, bindings, hookInstance: randomUUID() }) as {
      prefetch: { patient: { extension: Array<{ url: string; extension?: unknown[] }> } };
    };
    const race = body.prefetch.patient.extension.find((e) => e.url.endsWith('us-core-race'))!;
    race.extension = [
      { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
      { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2028-9', display: 'Asian' } },
    ];
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    const card = cardFor((res.json() as HookResponse).cards, 'warfarin');
    expect(card.detail).toContain('Race: recorded as Asian and White — IWPC "missing or mixed race" category');
    expect(card.detail).toContain('19.9 mg/week (2.8 mg/day)');
  });

  it('height in inches and weight in pounds are converted (UCUM [in_i], [lb_av])', async () => {
    const p = patient({ vitals: { heightCm: 178, weightKg: 82, daysAgo: 30 } });
    const body = buildHookRequest(p, { hook: 'order-sign', now: NOW, bindings, hookInstance: randomUUID() }) as {
      prefetch: { vitals: { entry: Array<{ resource: { valueQuantity: Record<string, unknown> } }> } };
    };
    body.prefetch.vitals.entry[0]!.resource.valueQuantity = { value: 70.0787, unit: 'in', system: 'http://unitsofmeasure.org', code: '[in_i]' };
    body.prefetch.vitals.entry[1]!.resource.valueQuantity = { value: 180.779, unit: 'lb', system: 'http://unitsofmeasure.org', code: '[lb_av]' };
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    const card = cardFor((res.json() as HookResponse).cards, 'warfarin');
    expect(card.detail).toContain('Height: 178 cm');
    expect(card.detail).toContain('Weight: 82 kg');
    expect(card.detail).toContain('20.9 mg/week');
  });
});

/**
 * The Da Vinci US Drug Formulary IG's own example plans (test/corpora/davinci-formulary, generated from the
 * IG's FSH without edits) load as a plan catalogue and answer formulary questions through the hook over
 * HTTP, for the IG's own Coverage example (which names its plan by a reference to the payer InsurancePlan).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Coverage } from 'fhir/r4';
import type { FastifyInstance } from 'fastify';
import { loadPlanCatalogue } from '../../src/loaders/plans';
import { coverageInformation, draft, orderSign, serviceWithPlans } from '../support/formulary-hook';

const CORPUS = join(__dirname, '../corpora/davinci-formulary');
const PLAN_DIR = join(CORPUS, 'plan');
const example = JSON.parse(readFileSync(join(CORPUS, 'coverage-example.json'), 'utf8')) as Bundle;
const coverage = example.entry!.find((e) => e.resource?.resourceType === 'Coverage')!.resource as Coverage;

describe('the Da Vinci formulary IG examples: loading', () => {
  const catalogue = loadPlanCatalogue(PLAN_DIR);

  it('load as published: four payer plans, every formulary item read', () => {
    expect(catalogue.plans.map((p) => [p.id, p.formulary.id, p.items.length])).toEqual([
      ['A1002', 'FormularyD1002', 4],
      ['A3001', 'FormularyD3001', 1],
      ['A3002', 'FormularyD3002', 1],
      ['A3004t', 'FormularyD3004t', 1],
    ]);
  });

  it('read each product’s tier, flags and ingredients from the IG’s own coding (no ingredient[])', () => {
    const a1002 = catalogue.byIdentifier.get('A1002')!;
    const percocet = a1002.products.get('1049640')!;
    expect(percocet).toMatchObject({
      itemId: 'FormularyItem-D1002-1049640',
      tier: 'brand',
      ingredientRxcuis: ['161', '7804'],
      priorAuthorization: true,
      priorAuthNewStartsOnly: true,
      stepTherapy: true,
      quantityLimit: true,
      quantityLimitDetail: '60 per 30 d; max 2 per day; 180 d supply per 365 d',
    });
    // the SBDG code "Percocet Pill" reaches the same listing
    expect(a1002.products.get('1185784')).toBe(percocet);
    expect(a1002.products.get('284520')).toMatchObject({ tier: 'brand', priorAuthorization: false, stepTherapy: false, quantityLimit: false });
    expect(catalogue.byIdentifier.get('A3004t')!.products.get('1049640')).toMatchObject({ tier: 'preferred-brand' });
  });

  it('take cost-sharing from the payer plan', () => {
    expect(catalogue.byIdentifier.get('A1002')!.costShare.brand).toMatchObject({ copay: 20, coinsurance: 20, source: 'payer-plan' });
    expect(catalogue.byIdentifier.get('A3004t')!.costShare['preferred-brand']).toMatchObject({ copay: 50, coinsurance: 0 });
  });

  it('report the formulary drug no item uses, and the tiers with no published cost-share', () => {
    expect(catalogue.report.unused).toEqual([{ file: 'davinci-formulary-examples.bundle.json', byType: { MedicationKnowledge: ['FormularyDrug-1541228'] } }]);
    expect(catalogue.report.warnings).toEqual([
      expect.stringMatching(/InsurancePlan\/PayerInsurancePlanA1002: tier generic has no cost-share for 1-month-in-retail/),
      expect.stringMatching(/InsurancePlan\/PayerInsurancePlanA3001: tier generic has no cost-share for 1-month-in-retail/),
    ]);
  });
});

describe('the Da Vinci formulary IG examples: the same resources as other exports shape them', () => {
  const bundle = JSON.parse(readFileSync(join(PLAN_DIR, 'davinci-formulary-examples.bundle.json'), 'utf8')) as Bundle;
  const resources = bundle.entry!.map((e) => e.resource!);
  const summary = (dir: string) => loadPlanCatalogue(dir).plans.map((p) => [p.id, p.items.map((e) => `${e.itemId}:${e.tier}`)]);
  const expected = summary(PLAN_DIR);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pbh-formulary-'));
    copyFileSync(join(PLAN_DIR, 'policy.yaml'), join(dir, 'policy.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('one resource per file, as the IG build writes them (references resolve across files)', () => {
    for (const r of resources) writeFileSync(join(dir, `${r.resourceType}-${r.id}.json`), JSON.stringify(r));
    expect(summary(dir)).toEqual(expected);
  });

  it('NDJSON per resource type, as a bulk export writes them', () => {
    for (const type of ['InsurancePlan', 'Basic', 'MedicationKnowledge']) {
      const lines = resources.filter((r) => r.resourceType === type).map((r) => JSON.stringify(r));
      writeFileSync(join(dir, `${type}.ndjson`), `${lines.join('\n')}\n`);
    }
    expect(summary(dir)).toEqual(expected);
  });
});

describe('the Da Vinci formulary IG examples: orders through the hook over HTTP', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serviceWithPlans(PLAN_DIR);
  });
  afterAll(async () => app?.close());

  const patientId = 'example';

  it('Percocet on plan A1002 (named by the IG Coverage’s insurancePlan reference): brand tier, PA and step therapy, quantity limit', async () => {
    const orders = [draft('rx-percocet', { code: '1049640', display: 'acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet [Percocet]' }, patientId)];
    const res = await orderSign(app, { patientId, coverage, orders });
    const ci = coverageInformation(res, 'rx-percocet');
    expect(ci.get('coverage')[0]!.valueReference?.reference).toBe('Coverage/InsurancePlanCoverageExample');
    expect(ci.get('covered')[0]!.valueCode).toBe('conditional');
    expect(ci.get('pa-needed')[0]!.valueCode).toBe('auth-needed');
    expect(ci.details).toMatch(/Sample Medicare Advantage Plan A1002 — FormularyItem-D1002-1049640/);
    expect(ci.details).toMatch(/brand: \$20 copay after deductible \+ 20% coinsurance after deductible \(brand\)/);
    expect(ci.details).toMatch(/60 per 30 d; max 2 per day; 180 d supply per 365 d/);
    expect(ci.details).toMatch(/step-therapy/);
  });

  it('Protopic on plan A1002: covered, brand, no prior authorization', async () => {
    const orders = [draft('rx-protopic', { code: '284520', display: 'tacrolimus 0.001 MG/MG Topical Ointment [Protopic]' }, patientId)];
    const res = await orderSign(app, { patientId, coverage, orders });
    const ci = coverageInformation(res, 'rx-protopic');
    expect(ci.get('covered')[0]!.valueCode).toBe('covered');
    expect(ci.get('pa-needed')[0]!.valueCode).toBe('no-auth');
    expect(ci.details).toMatch(/FormularyItem-D1002-284520/);
  });

  it('a drug the example formulary does not list is not covered', async () => {
    const orders = [draft('rx-clopidogrel', { code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }, patientId)];
    const res = await orderSign(app, { patientId, coverage, orders });
    expect(coverageInformation(res, 'rx-clopidogrel').get('covered')[0]!.valueCode).toBe('not-covered');
  });
});

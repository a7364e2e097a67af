/**
 * A formulary exported the way the Da Vinci US Drug Formulary IG (STU2) shapes it — STU2 tier codes and a
 * plan's own tier code, no ingredient[], one item per product (two atorvastatin strengths, combination
 * products sharing acetaminophen), flags left out, absolute fullUrl references, a FormularyItem without
 * meta.profile, cost-sharing on the payer plan — loads as it is and answers orders over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coverage } from 'fhir/r4';
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { buildPlanCatalogue, PlanLoadError, type PlanCatalogue } from '../../src/benefit/plan-catalogue';
import { loadIngredientLexicon, loadPlanCatalogue } from '../../src/loaders/plans';
import { coverageInformation, draft, orderSign, serviceWithPlans } from '../support/formulary-hook';

const DIR = join(__dirname, '../corpora/ig-shaped-export');
const BUNDLE = 'formulary.bundle.json';
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const USDF = 'http://hl7.org/fhir/us/davinci-drug-formulary';

/** the fixture with one change, built through the same public entry point as loadPlanCatalogue */
function loadChanged(change: (bundle: any, policy: any) => void): PlanCatalogue {
  const bundle = JSON.parse(read(BUNDLE));
  const policy = parseYaml(read('policy.yaml'));
  change(bundle, policy);
  return buildPlanCatalogue([{ file: BUNDLE, content: bundle }], { file: 'policy.yaml', content: policy }, loadIngredientLexicon());
}
function problemsOf(change: (bundle: any, policy: any) => void): string[] {
  try {
    loadChanged(change);
  } catch (err) {
    if (err instanceof PlanLoadError) return err.problems;
    throw err;
  }
  throw new Error('expected PlanLoadError');
}
const resource = (bundle: any, id: string) => bundle.entry.find((e: any) => e.resource.id === id).resource;
const tierExt = (item: any) => item.extension.find((e: any) => e.url.endsWith('usdf-DrugTierID-extension'));

describe('a formulary exported the way the IG shapes it: loading', () => {
  const catalogue = loadPlanCatalogue(DIR);
  const plan = catalogue.plans[0]!;

  it('loads without edits; every payer identifier names the plan', () => {
    expect(catalogue.plans.map((p) => p.id)).toEqual(['IGX-GOLD-2026']);
    expect(catalogue.byIdentifier.get('H9999-001')).toBe(plan);
    expect(catalogue.byIdentifier.get('IGX-GOLD-2026')).toBe(plan);
  });

  it('reads STU2 tier codes (non-preferred, preferred) and the plan’s own tier code mapped in policy.yaml', () => {
    const byItem = Object.fromEntries(plan.items.map((e) => [e.itemId, e]));
    expect(byItem['fi-1049221']).toMatchObject({ tier: 'non-preferred', priorAuthorization: true, stepTherapy: true, quantityLimit: true });
    expect(byItem['fi-259255']).toMatchObject({ tier: 'preferred', quantityLimit: true, quantityLimitDetail: 'max 1 per day; 30 per 30 d' });
    expect(byItem['fi-993781']).toMatchObject({ tier: 'generic', tierSource: 'https://payer.example.org/CodeSystem/formulary-tier#T1' });
  });

  it('absent PA / step-therapy / quantity-limit flags mean false', () => {
    expect(plan.items.find((e) => e.itemId === 'fi-617310')).toMatchObject({
      priorAuthorization: false, stepTherapy: false, quantityLimit: false, priorAuthNewStartsOnly: false, stepTherapyNewStartsOnly: false,
    });
  });

  it('names ingredients from RxNorm names (no ingredient[]), combination products included, one listing per product', () => {
    const ingredients = Object.fromEntries(plan.items.map((e) => [e.itemId, e.ingredientRxcuis]));
    expect(ingredients).toEqual({
      'fi-617310': ['83367'], 'fi-259255': ['83367'], 'fi-993781': ['161', '2670'], 'fi-1049221': ['161', '7804'], 'fi-309362': ['32968'],
    });
    expect(plan.products.get('617310')?.itemId).toBe('fi-617310');
    expect(plan.products.get('259255')?.itemId).toBe('fi-259255');
    // an order for "atorvastatin" is offered the cheaper strength's listing
    expect(plan.entries.get('83367')?.itemId).toBe('fi-617310');
    expect(plan.entries.get('161+2670')?.itemId).toBe('fi-993781');
  });

  it('reads a FormularyItem without meta.profile, and resolves absolute references', () => {
    expect(plan.entries.get('32968')).toMatchObject({ itemId: 'fi-309362', tier: 'generic' });
  });

  it('cost-sharing per pharmacy benefit type comes from the payer plan; policy.yaml overrides a tier', () => {
    expect(plan.pharmacyBenefitType).toBe('1-month-in-retail');
    expect(plan.costShare.generic).toMatchObject({ copay: 10, source: 'payer-plan', display: '$10 copay before deductible' });
    expect(plan.costShare['non-preferred']).toMatchObject({ coinsurance: 40, source: 'payer-plan', display: '40% coinsurance after deductible' });
    expect(plan.costShare.preferred).toMatchObject({ copay: 30, source: 'policy' });
    expect(plan.costShareByBenefitType['3-month-in-mail']).toMatchObject({ generic: { copay: 20 }, preferred: { copay: 90 } });
    expect(plan.costShareByBenefitType['1-month-in-retail']!.preferred).toMatchObject({ copay: 35 });
  });

  it('reports what the bundle holds that no plan uses, by type', () => {
    expect(catalogue.report.unused).toEqual([{ file: BUNDLE, byType: { MedicationKnowledge: ['rx-312961'], Location: ['service-area'] } }]);
    expect(catalogue.report.plans).toEqual([{ id: 'IGX-GOLD-2026', file: BUNDLE, items: 5, matchedByCodeOnly: 0, inactive: 0 }]);
  });

  it('the start-up log says what was not used, by type', async () => {
    const lines: string[] = [];
    const app = await buildApp(testConfig({ planDir: DIR, logLevel: 'info' }), { logStream: { write: (l: string) => void lines.push(l) } });
    await app.close();
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; unused?: Record<string, number> });
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: 'formulary content not used by any plan: MedicationKnowledge ×1, Location ×1',
          unused: { MedicationKnowledge: 1, Location: 1 },
        }),
        expect.objectContaining({ msg: 'plan catalogue loaded' }),
      ]),
    );
  });

  it('a Basic that is not a FormularyItem is reported as unused, not dropped silently', () => {
    const c = loadChanged((b) => b.entry.push({ fullUrl: 'urn:uuid:other', resource: { resourceType: 'Basic', id: 'note', code: { text: 'other' } } }));
    expect(c.report.unused[0]!.byType.Basic).toEqual(['note']);
  });
});

describe('a formulary exported the way the IG shapes it: refusals name the file, the resource and what to change', () => {
  it('an unknown tier code is a start-up error naming the code — not "missing usdf-DrugTierID-extension"', () => {
    const problems = problemsOf((b) => {
      tierExt(resource(b, 'fi-617310')).valueCodeableConcept.coding = [{ system: 'https://other.example/tiers', code: 'gold' }];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^formulary\.bundle\.json: Basic\/fi-617310: unknown drug tier https:\/\/other\.example\/tiers#gold is neither a DrugTierCS code .*add `tierCodes: \[\{ system, code, tier \}\]`/,
      ),
    ]);
    expect(problems.join()).not.toMatch(/missing usdf-DrugTierID-extension/);
  });

  it('a plan tier code mapped to something that is not a DrugTierCS code is refused', () => {
    const problems = problemsOf((_b, p) => {
      p.tierCodes[0].tier = 'tier-one';
    });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^policy\.yaml: tierCodes\[0\]: tier tier-one is not a DrugTierCS code/)]));
  });

  it('an unknown tier on the payer plan’s cost-sharing is refused with its path', () => {
    const problems = problemsOf((b) => {
      resource(b, 'igx-gold-2026').plan[0].specificCost[0].benefit[0].type.coding[0].code = 'tier-9';
    });
    expect(problems).toEqual([
      expect.stringMatching(/^formulary\.bundle\.json: InsurancePlan\/igx-gold-2026: plan\[0\]\.specificCost\[0\]\.benefit\[0\]\.type: drug tier .*#tier-9 is neither/),
    ]);
  });

  it('a flag without a policy rule names the item, the codes a rule could list and where to add it', () => {
    const problems = problemsOf((_b, p) => {
      p.plans[0].priorAuth = [];
    });
    expect(problems).toEqual([
      'formulary.bundle.json: Basic/fi-1049221: flagged prior authorization (usdf-PriorAuthorization-extension) but policy.yaml plans[IGX-GOLD-2026] has no criteria set whose appliesTo lists its product or group code (1049221) or an ingredient (161, 7804): add one to priorAuth',
    ]);
  });

  it('a dangling absolute reference is named', () => {
    const problems = problemsOf((b) => {
      resource(b, 'fi-617310').subject.reference = 'https://payer.example.org/fhir/MedicationKnowledge/gone';
    });
    expect(problems).toEqual([
      'formulary.bundle.json: Basic/fi-617310: subject https://payer.example.org/fhir/MedicationKnowledge/gone does not resolve to a FormularyDrug (MedicationKnowledge) in this bundle',
    ]);
  });

  it('STU1 tier codings are read as well', () => {
    const c = loadChanged((b) => {
      tierExt(resource(b, 'fi-617310')).valueCodeableConcept.coding[0].system = `${USDF}/CodeSystem/usdf-DrugTierCS`;
    });
    expect(c.plans[0]!.products.get('617310')?.tier).toBe('generic');
  });
});

describe('a formulary exported the way the IG shapes it: orders over HTTP', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serviceWithPlans(DIR);
  });
  afterAll(async () => app?.close());

  // the Coverage names the plan by the payer plan's FIRST identifier; policy.yaml uses the second
  const coverage: Coverage = {
    resourceType: 'Coverage',
    id: 'cov-igx',
    status: 'active',
    beneficiary: { reference: 'Patient/pt-igx' },
    payor: [{ display: 'Example Payer' }],
    class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'H9999-001' }],
  };

  it('an order for one atorvastatin strength gets that product’s listing; an ingredient-level order the preferred one', async () => {
    const orders = [
      draft('o-80', { code: '259255', display: 'atorvastatin 80 MG Oral Tablet' }, 'pt-igx'),
      draft('o-any', { code: '83367', display: 'atorvastatin' }, 'pt-igx'),
    ];
    const res = await orderSign(app, { patientId: 'pt-igx', coverage, orders });
    const eighty = coverageInformation(res, 'o-80');
    expect(eighty.get('covered')[0]!.valueCode).toBe('covered');
    expect(eighty.details).toMatch(/fi-259255/);
    expect(eighty.details).toMatch(/preferred: \$30 copay \(preferred\)/);
    expect(eighty.details).toMatch(/max 1 per day; 30 per 30 d/);
    const any = coverageInformation(res, 'o-any');
    expect(any.details).toMatch(/fi-617310/);
    expect(any.details).toMatch(/generic: \$10 copay before deductible \(generic\)/);
  });

  it('a combination product is matched as itself, not as its CPIC ingredient: PA and step therapy for acetaminophen/oxycodone', async () => {
    const orders = [draft('o-percocet', { code: '1049221', display: 'acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet' }, 'pt-igx')];
    const res = await orderSign(app, { patientId: 'pt-igx', coverage, orders });
    const ci = coverageInformation(res, 'o-percocet');
    expect(ci.get('pa-needed')[0]!.valueCode).toBe('auth-needed');
    expect(ci.details).toMatch(/fi-1049221/);
    expect(ci.details).toMatch(/40% coinsurance after deductible/);
    expect(ci.details).toMatch(/step-therapy/);
  });

  it('an order for an unlisted product of a listed combination’s ingredient is not covered by the combination', async () => {
    // oxycodone alone: the formulary lists oxycodone only in combination with acetaminophen
    const orders = [draft('o-oxy', { code: '1049621', display: 'oxycodone hydrochloride 5 MG Oral Tablet' }, 'pt-igx')];
    const res = await orderSign(app, { patientId: 'pt-igx', coverage, orders });
    expect(coverageInformation(res, 'o-oxy').get('covered')[0]!.valueCode).toBe('not-covered');
  });

  it('the drug whose FormularyItem has no meta.profile is covered (not “not on formulary”)', async () => {
    const orders = [draft('o-clop', { code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }, 'pt-igx')];
    const res = await orderSign(app, { patientId: 'pt-igx', coverage, orders });
    const ci = coverageInformation(res, 'o-clop');
    expect(ci.get('covered')[0]!.valueCode).toBe('covered');
    expect(ci.details).toMatch(/fi-309362/);
  });
});

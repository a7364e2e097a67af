/**
 * Generates the two sample Da Vinci US Drug Formulary bundles in plans/sample/ from the compact table
 * below (run: `npx tsx scripts/build-sample-plans.ts`). The bundles are committed; the service reads
 * them, never this script. Sample data: invented plans, realistic structure.
 *
 * RxNorm: every FormularyDrug carries the ingredient RxCUI in ingredient[].itemCodeableConcept. Where a
 * clinical-drug (SCD) code was verified in stored public data it is the `code`; otherwise the drug is
 * coded at ingredient level (code = the ingredient), as the IG allows for a sample.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../src/paths';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const USDF = 'http://hl7.org/fhir/us/davinci-drug-formulary';
const SD = `${USDF}/StructureDefinition`;
const CS = `${USDF}/CodeSystem`;
const UPDATED = '2026-11-01T00:00:00Z';

interface Drug {
  name: string;
  rxcui: string;
  /** verified SCD: [code, display] */
  scd?: [string, string];
  /** `rxcui` is a product code whose term type is not verified: listed by that code, with this ingredient (its own cited code) */
  productOf?: { ingredientRxcui: string; ingredientName: string };
}

const DRUGS: Record<string, Drug> = {
  clopidogrel: { name: 'clopidogrel', rxcui: '32968', scd: ['309362', 'clopidogrel 75 MG Oral Tablet'] },
  prasugrel: { name: 'prasugrel', rxcui: '613391' },
  ticagrelor: { name: 'ticagrelor', rxcui: '1116632' },
  aspirin: { name: 'aspirin', rxcui: '1191' },
  codeine: { name: 'codeine', rxcui: '2670' },
  tramadol: { name: 'tramadol', rxcui: '10689' },
  hydromorphone: { name: 'hydromorphone', rxcui: '3423' },
  oxycodone: { name: 'oxycodone', rxcui: '7804' },
  morphine: { name: 'morphine', rxcui: '7052' },
  hydrocodone: { name: 'hydrocodone', rxcui: '5489' },
  simvastatin: { name: 'simvastatin', rxcui: '36567', scd: ['312961', 'simvastatin 20 MG Oral Tablet'] },
  atorvastatin: { name: 'atorvastatin', rxcui: '83367' },
  rosuvastatin: { name: 'rosuvastatin', rxcui: '301542' },
  pravastatin: { name: 'pravastatin', rxcui: '42463' },
  lovastatin: { name: 'lovastatin', rxcui: '6472' },
  pitavastatin: { name: 'pitavastatin', rxcui: '861634' },
  warfarin: { name: 'warfarin', rxcui: '11289' },
  apixaban: { name: 'apixaban', rxcui: '1364430' },
  rivaroxaban: { name: 'rivaroxaban', rxcui: '1114195' },
  azathioprine: { name: 'azathioprine', rxcui: '1256' },
  mercaptopurine: { name: 'mercaptopurine', rxcui: '103' },
  tacrolimus: { name: 'tacrolimus', rxcui: '42316' },
  mycophenolate: { name: 'mycophenolate mofetil', rxcui: '68149' },
  citalopram: { name: 'citalopram', rxcui: '2556' },
  escitalopram: { name: 'escitalopram', rxcui: '321988' },
  sertraline: { name: 'sertraline', rxcui: '36437' },
  paroxetine: { name: 'paroxetine', rxcui: '32937' },
  fluoxetine: { name: 'fluoxetine', rxcui: '4493' },
  venlafaxine: { name: 'venlafaxine', rxcui: '39786' },
  amitriptyline: { name: 'amitriptyline', rxcui: '704' },
  nortriptyline: { name: 'nortriptyline', rxcui: '7531' },
  omeprazole: { name: 'omeprazole', rxcui: '7646' },
  esomeprazole: { name: 'esomeprazole', rxcui: '283742' },
  lansoprazole: { name: 'lansoprazole', rxcui: '17128' },
  pantoprazole: { name: 'pantoprazole', rxcui: '40790' },
  rabeprazole: { name: 'rabeprazole', rxcui: '114979' },
  ondansetron: { name: 'ondansetron', rxcui: '26225' },
  granisetron: { name: 'granisetron', rxcui: '26237' },
  carbamazepine: { name: 'carbamazepine', rxcui: '2002' },
  oxcarbazepine: { name: 'oxcarbazepine', rxcui: '32624' },
  phenytoin: { name: 'phenytoin', rxcui: '8183' },
  lamotrigine: { name: 'lamotrigine', rxcui: '28439' },
  levetiracetam: { name: 'levetiracetam', rxcui: '114477' },
  allopurinol: { name: 'allopurinol', rxcui: '519' },
  febuxostat: { name: 'febuxostat', rxcui: '73689' },
  // targeted oncology drugs: codes (and their sources) from the companion-diagnostic table, terminology/sources/oncology-indications.yaml
  osimertinib: { name: 'osimertinib (TAGRISSO)', rxcui: '1721565', productOf: { ingredientRxcui: '1721560', ingredientName: 'osimertinib' } },
  cetuximab: { name: 'cetuximab', rxcui: '318341' },
  panitumumab: { name: 'panitumumab', rxcui: '263034' },
  pembrolizumab: { name: 'pembrolizumab', rxcui: '1547545' },
};

type Tier = 'generic' | 'preferred-brand' | 'non-preferred-brand' | 'specialty';
interface Item {
  tier: Tier;
  pa?: boolean;
  st?: boolean;
  ql?: { maxDaily?: number; rolling?: [number, number] };
}
type Formulary = Record<string, Item>;

const G: Item = { tier: 'generic' };
/** specialty tier, prior authorization (criteria in policy.yaml), dispensed by the plan's specialty pharmacy */
const SPECIALTY_PA: Item = { tier: 'specialty', pa: true };
const OPIOID_QL: Item['ql'] = { maxDaily: 6, rolling: [180, 30] };

/** Commercial plan: codeine before hydromorphone/oxycodone/hydrocodone; P2Y12 brands on PA; pitavastatin not listed. */
const COMMERCIAL: Formulary = {
  clopidogrel: G,
  prasugrel: { tier: 'preferred-brand', pa: true },
  ticagrelor: { tier: 'preferred-brand', pa: true },
  aspirin: G,
  codeine: { tier: 'generic', ql: OPIOID_QL },
  tramadol: { tier: 'generic', ql: { maxDaily: 8 } },
  hydromorphone: { tier: 'generic', st: true, ql: OPIOID_QL },
  oxycodone: { tier: 'generic', st: true, ql: OPIOID_QL },
  morphine: { tier: 'generic', ql: OPIOID_QL },
  hydrocodone: { tier: 'non-preferred-brand', st: true, ql: OPIOID_QL },
  simvastatin: G,
  atorvastatin: G,
  rosuvastatin: G,
  pravastatin: G,
  lovastatin: G,
  warfarin: G,
  apixaban: { tier: 'preferred-brand' },
  rivaroxaban: { tier: 'preferred-brand' },
  azathioprine: G,
  mercaptopurine: G,
  tacrolimus: G,
  mycophenolate: G,
  citalopram: G,
  escitalopram: G,
  sertraline: G,
  paroxetine: G,
  fluoxetine: G,
  venlafaxine: G,
  amitriptyline: G,
  nortriptyline: G,
  omeprazole: G,
  pantoprazole: G,
  lansoprazole: G,
  esomeprazole: { tier: 'non-preferred-brand', st: true },
  rabeprazole: { tier: 'non-preferred-brand', st: true },
  ondansetron: { tier: 'generic', ql: { maxDaily: 3 } },
  granisetron: { tier: 'non-preferred-brand' },
  carbamazepine: G,
  oxcarbazepine: G,
  phenytoin: G,
  lamotrigine: G,
  levetiracetam: G,
  allopurinol: G,
  febuxostat: { tier: 'non-preferred-brand', st: true },
  osimertinib: SPECIALTY_PA,
  cetuximab: SPECIALTY_PA,
  panitumumab: SPECIALTY_PA,
  pembrolizumab: SPECIALTY_PA,
};

/** Part D plan: same opioid steps; P2Y12 brands and febuxostat on PA; esomeprazole not listed; pitavastatin listed. */
const PART_D: Formulary = {
  ...COMMERCIAL,
  febuxostat: { tier: 'non-preferred-brand', pa: true },
  pitavastatin: { tier: 'non-preferred-brand' },
  tacrolimus: { tier: 'specialty' },
  esomeprazole: undefined as unknown as Item,
  rabeprazole: { tier: 'non-preferred-brand', st: true },
};
delete PART_D.esomeprazole;
// infused antibodies are a Medicare Part B (medical) benefit, not Part D: only the oral osimertinib is listed
delete PART_D.cetuximab;
delete PART_D.panitumumab;
delete PART_D.pembrolizumab;

const TIER_DISPLAY: Record<Tier, string> = {
  generic: 'Generic',
  'preferred-brand': 'Preferred Brand',
  'non-preferred-brand': 'Non-preferred Brand',
  specialty: 'Specialty',
};

function drugResource(key: string) {
  const d = DRUGS[key]!;
  const ingredient = { system: RXNORM, code: d.rxcui, display: d.name };
  const listedIngredient = d.productOf ? { system: RXNORM, code: d.productOf.ingredientRxcui, display: d.productOf.ingredientName } : ingredient;
  return {
    resourceType: 'MedicationKnowledge',
    id: `FormularyDrug-${d.rxcui}`,
    meta: { lastUpdated: UPDATED, profile: [`${SD}/usdf-FormularyDrug`] },
    code: {
      coding: [d.scd ? { system: RXNORM, code: d.scd[0], display: d.scd[1] } : ingredient],
      text: d.scd ? d.scd[1] : d.name,
    },
    status: 'active',
    ingredient: [{ itemCodeableConcept: { coding: [listedIngredient], text: listedIngredient.display }, isActive: true }],
  };
}

function itemResource(formularyId: string, key: string, item: Item, year: string) {
  const d = DRUGS[key]!;
  const ext: Array<Record<string, unknown>> = [
    { url: `${SD}/usdf-FormularyReference-extension`, valueReference: { reference: `InsurancePlan/${formularyId}` } },
    { url: `${SD}/usdf-AvailabilityStatus-extension`, valueCode: 'active' },
    { url: `${SD}/usdf-AvailabilityPeriod-extension`, valuePeriod: { start: `${year}-01-01`, end: `${year}-12-31` } },
    {
      url: `${SD}/usdf-PharmacyBenefitType-extension`,
      valueCodeableConcept: { coding: [{ system: `${CS}/usdf-PharmacyBenefitTypeCS`, code: '1-month-in-retail', display: '1 month in network retail' }] },
    },
    {
      url: `${SD}/usdf-PharmacyBenefitType-extension`,
      valueCodeableConcept: { coding: [{ system: `${CS}/usdf-PharmacyBenefitTypeCS`, code: '3-month-in-mail', display: '3 month in network mail order' }] },
    },
    {
      url: `${SD}/usdf-DrugTierID-extension`,
      valueCodeableConcept: { coding: [{ system: `${CS}/usdf-DrugTierCS`, code: item.tier, display: TIER_DISPLAY[item.tier] }] },
    },
    { url: `${SD}/usdf-PriorAuthorization-extension`, valueBoolean: !!item.pa },
    ...(item.pa ? [{ url: `${SD}/usdf-PriorAuthorizationNewStartsOnly-extension`, valueBoolean: true }] : []),
    { url: `${SD}/usdf-StepTherapyLimit-extension`, valueBoolean: !!item.st },
    ...(item.st ? [{ url: `${SD}/usdf-StepTherapyLimitNewStartsOnly-extension`, valueBoolean: true }] : []),
    { url: `${SD}/usdf-QuantityLimit-extension`, valueBoolean: !!item.ql },
  ];
  if (item.ql) {
    const sub: Array<Record<string, unknown>> = [];
    if (item.ql.maxDaily) sub.push({ url: 'MaximumDaily', valueQuantity: { value: item.ql.maxDaily } });
    if (item.ql.rolling) {
      sub.push({ url: 'Rolling', valueTiming: { repeat: { count: item.ql.rolling[0], period: item.ql.rolling[1], periodUnit: 'd' } } });
    }
    ext.push({ url: `${SD}/usdf-QuantityLimitDetail-extension`, extension: sub });
  }
  return {
    resourceType: 'Basic',
    id: `FormularyItem-${formularyId}-${d.rxcui}`,
    meta: { lastUpdated: UPDATED, profile: [`${SD}/usdf-FormularyItem`] },
    extension: ext,
    code: { coding: [{ system: `${CS}/usdf-InsuranceItemTypeCS`, code: 'formulary-item', display: 'Formulary Item' }] },
    subject: { reference: `MedicationKnowledge/FormularyDrug-${d.rxcui}` },
  };
}

function bundle(opts: {
  planId: string;
  planResourceId: string;
  planName: string;
  productType: [string, string];
  formularyId: string;
  formularyName: string;
  formulary: Formulary;
}) {
  const year = '2026';
  const payer = {
    resourceType: 'InsurancePlan',
    id: opts.planResourceId,
    meta: { lastUpdated: UPDATED, profile: [`${SD}/usdf-PayerInsurancePlan`] },
    identifier: [{ value: opts.planId }],
    status: 'active',
    type: [{ coding: [{ system: 'http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/InsuranceProductTypeCS', code: opts.productType[0], display: opts.productType[1] }] }],
    name: opts.planName,
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
    coverage: [
      {
        extension: [{ url: `${SD}/usdf-FormularyReference-extension`, valueReference: { reference: `InsurancePlan/${opts.formularyId}` } }],
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'DRUGPOL', display: 'drug policy' }] },
        benefit: [{ type: { coding: [{ system: `${CS}/usdf-PlanTypeCS`, code: 'drug', display: 'Drug' }] } }],
      },
    ],
  };
  const formulary = {
    resourceType: 'InsurancePlan',
    id: opts.formularyId,
    meta: { lastUpdated: UPDATED, profile: [`${SD}/usdf-Formulary`] },
    identifier: [{ value: opts.formularyId }],
    status: 'active',
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'DRUGPOL', display: 'drug policy' }] }],
    name: opts.formularyName,
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
  };
  const keys = Object.keys(opts.formulary);
  const resources = [
    payer,
    formulary,
    ...keys.map((k) => itemResource(opts.formularyId, k, opts.formulary[k]!, year)),
    ...keys.map(drugResource),
  ];
  return {
    resourceType: 'Bundle',
    id: `${opts.planResourceId}-bundle`,
    type: 'collection',
    timestamp: UPDATED,
    entry: resources.map((r) => ({ fullUrl: `urn:pbh:${r.resourceType}/${r.id}`, resource: r })),
  };
}

const out = projectPath('plans', 'sample');
writeFileSync(
  join(out, 'commercial-gold.bundle.json'),
  `${JSON.stringify(
    bundle({
      planId: 'PBH-COMM-GOLD-2026',
      planResourceId: 'PayerPlan-PBH-COMM-GOLD-2026',
      planName: 'Sample Commercial Gold PPO 2026',
      productType: ['commppo', 'Commercial PPO'],
      formularyId: 'Formulary-PBH-COMM-2026',
      formularyName: 'Sample Commercial Formulary 2026',
      formulary: COMMERCIAL,
    }),
    null,
    1,
  )}\n`,
);
writeFileSync(
  join(out, 'medicare-part-d.bundle.json'),
  `${JSON.stringify(
    bundle({
      planId: 'PBH-PARTD-2026',
      planResourceId: 'PayerPlan-PBH-PARTD-2026',
      planName: 'Sample Medicare Advantage Prescription Drug (Part D) Plan 2026',
      productType: ['mediadv', 'Medicare Advantage'],
      formularyId: 'Formulary-PBH-PARTD-2026',
      formularyName: 'Sample Part D Formulary 2026',
      formulary: PART_D,
    }),
    null,
    1,
  )}\n`,
);
console.log('wrote commercial-gold.bundle.json, medicare-part-d.bundle.json');

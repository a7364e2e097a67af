import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Condition, Observation } from 'fhir/r4';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import type { Card, HookResponse } from '../../src/cdshooks/types';

/**
 * Each oncology card kind through HTTP: an order-sign call with Genomics Reporting / mCODE tumour results in
 * the genomics prefetch and the cancer in the conditions prefetch.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(testConfig());
  await app.ready();
});
afterAll(() => app.close());

const PID = 'onc-1';
const LOINC = 'http://loinc.org';
const lnc = (code: string, display?: string) => ({ coding: [{ system: LOINC, code, ...(display ? { display } : {}) }] });

function variant(id: string, gene: string, opts: { protein?: string; absent?: boolean; origin?: 'somatic' | 'germline'; fusionWith?: string; pathogenic?: boolean; text?: string }): Observation {
  const component: NonNullable<Observation['component']> = [
    { code: lnc('48018-6'), valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org/geneId', code: `HGNC:${id}`, display: gene }] } },
  ];
  if (opts.fusionWith) {
    component.push({ code: lnc('48018-6'), valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org/geneId', display: opts.fusionWith }] } });
    component.push({ code: lnc('48019-4'), valueCodeableConcept: { coding: [{ system: 'http://www.sequenceontology.org', code: 'SO:0002062', display: 'complex chromosomal rearrangement' }] } });
  }
  if (opts.protein) component.push({ code: lnc('48005-3'), valueCodeableConcept: { coding: [{ system: 'http://varnomen.hgvs.org', code: opts.protein, display: opts.protein }] } });
  if (opts.origin) component.push({ code: lnc('48002-0'), valueCodeableConcept: lnc(opts.origin === 'somatic' ? 'LA6684-0' : 'LA6683-2', opts.origin === 'somatic' ? 'Somatic' : 'Germline') });
  if (opts.pathogenic) component.push({ code: lnc('53037-8'), valueCodeableConcept: lnc('LA6668-3', 'Pathogenic') });
  if (!opts.absent) component.push({ code: lnc('81258-6'), valueQuantity: { value: 0.34 } });
  return {
    resourceType: 'Observation',
    id: `var-${id}-${gene}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: lnc('69548-6', 'Genetic variant assessment'),
    subject: { reference: `Patient/${PID}` },
    effectiveDateTime: '2026-10-02',
    method: { text: 'Next-generation sequencing panel' },
    specimen: { display: 'Tumour tissue, lung biopsy' },
    valueCodeableConcept: opts.absent ? lnc('LA9634-2', 'Absent') : { ...lnc('LA9633-4', 'Present'), ...(opts.text ? { text: opts.text } : {}) },
    component,
  };
}

const measure = (id: string, code: string, value: Partial<Observation>): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: lnc(code),
  subject: { reference: `Patient/${PID}` },
  effectiveDateTime: '2026-10-02',
  ...value,
});

const condition = (system: string, code: string, display: string): Condition => ({
  resourceType: 'Condition',
  id: `cond-${code}`,
  subject: { reference: `Patient/${PID}` },
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system, code, display }] },
});
const NSCLC = condition('http://snomed.info/sct', '254637007', 'Non-small cell lung cancer');
const CRC = condition('http://hl7.org/fhir/sid/icd-10-cm', 'C18.7', 'Malignant neoplasm of sigmoid colon');
const BREAST = condition('http://hl7.org/fhir/sid/icd-10-cm', 'C50.911', 'Malignant neoplasm of unspecified site of right female breast');

async function sign(drug: string, observations: Observation[], conditions: Condition[]): Promise<Card[]> {
  const body = {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/onc',
      patientId: PID,
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'MedicationRequest',
              id: 'draft-onc',
              status: 'draft',
              intent: 'order',
              subject: { reference: `Patient/${PID}` },
              medicationCodeableConcept: { text: drug },
            },
          },
        ],
      },
    },
    prefetch: {
      patient: null,
      pgx: { resourceType: 'Bundle', type: 'searchset', entry: observations.map((resource) => ({ resource })) },
      medications: null,
      dispenses: null,
      coverage: null,
      conditions: { resourceType: 'Bundle', type: 'searchset', entry: conditions.map((resource) => ({ resource })) },
    },
  };
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  return (res.json() as HookResponse).cards;
}

const kind = (c: Card) => c.source.topic?.code;
const only = (cards: Card[]) => {
  expect(cards).toHaveLength(1);
  return cards[0]!;
};

test('biomarker confirmed: EGFR L858R (somatic) for osimertinib in NSCLC names the result and the rule', async () => {
  const card = only(await sign('osimertinib 80 MG Oral Tablet', [variant('3236', 'EGFR', { protein: 'p.Leu858Arg', origin: 'somatic' })], [NSCLC]));
  expect(kind(card)).toBe('oncology-biomarker-confirmed');
  expect(card.indicator).toBe('info');
  expect(card.summary).toMatch(/EGFR L858R confirms the non-small cell lung cancer indication/);
  expect(card.detail).toContain('Next-generation sequencing panel');
  expect(card.detail).toContain('Tumour tissue, lung biopsy');
  expect(card.detail).toContain('2026-10-02');
  expect(card.detail).toContain('somatic');
  expect(card.detail).toMatch(/osimertinib-nsclc-egfr.*TAGRISSO/);
  expect(card.links?.[0]?.url).toContain('208065');
  expect(card.suggestions).toBeUndefined();
});

test('biomarker contrary: KRAS G12D with cetuximab in colorectal cancer is critical, never silent', async () => {
  const card = only(await sign('cetuximab 2 MG/ML Injectable Solution', [variant('6407', 'KRAS', { protein: 'p.Gly12Asp', origin: 'somatic' })], [CRC]));
  expect(kind(card)).toBe('oncology-biomarker-contrary');
  expect(card.indicator).toBe('critical');
  expect(card.summary).toMatch(/KRAS G12D/);
  expect(card.detail).toMatch(/not expected to help/);
});

test('biomarker contrary: EGFR tested negative with erlotinib is a warning, and names the therapies the ALK fusion supports', async () => {
  const cards = await sign('erlotinib', [variant('3236', 'EGFR', { absent: true, origin: 'somatic' }), variant('427', 'ALK', { fusionWith: 'EML4', origin: 'somatic' })], [NSCLC]);
  const card = only(cards);
  expect(kind(card)).toBe('oncology-biomarker-contrary');
  expect(card.indicator).toBe('warning');
  expect(card.detail).toMatch(/\*\*alectinib\*\*/);
  expect(card.detail).toMatch(/\*\*lorlatinib\*\*/);
  expect(card.detail).not.toMatch(/\*\*osimertinib\*\*/);
});

test('biomarker not on file: "do not assume", with a ServiceRequest for the companion test', async () => {
  const card = only(await sign('Tagrisso', [], [NSCLC]));
  expect(kind(card)).toBe('oncology-biomarker-missing');
  expect(card.indicator).toBe('warning');
  expect(card.summary).toMatch(/no companion diagnostic result .* do not assume/);
  const action = card.suggestions?.[0]?.actions?.[0];
  expect(action?.type).toBe('create');
  expect(action?.resource?.resourceType).toBe('ServiceRequest');
  expect(JSON.stringify(action?.resource)).toMatch(/EGFR mutation analysis/);
});

test('indication not listed: said plainly, never a block', async () => {
  const card = only(await sign('osimertinib', [variant('3236', 'EGFR', { protein: 'p.Leu858Arg', origin: 'somatic' })], [BREAST]));
  expect(kind(card)).toBe('oncology-indication-not-listed');
  expect(card.indicator).toBe('info');
  expect(card.detail).toMatch(/not a stop/);
  expect(card.suggestions).toBeUndefined();
});

test('a germline result is not a tumour result: a germline EGFR variant does not confirm osimertinib', async () => {
  const card = only(await sign('osimertinib', [variant('3236', 'EGFR', { protein: 'p.Leu858Arg', origin: 'germline' })], [NSCLC]));
  expect(kind(card)).toBe('oncology-biomarker-indeterminate');
  expect(card.detail).toMatch(/germline EGFR results on file; the label requires a tumour \(somatic\) result/);
});

test('a germline BRCA2 pathogenic variant confirms olaparib where the label accepts germline', async () => {
  const card = only(await sign('olaparib', [variant('1101', 'BRCA2', { text: 'BRCA2 c.5946del', origin: 'germline', pathogenic: true })], [BREAST]));
  expect(kind(card)).toBe('oncology-biomarker-confirmed');
});

test('an unplaceable variant is indeterminate with the reason, never "negative"', async () => {
  const card = only(await sign('osimertinib', [variant('3236', 'EGFR', { origin: 'somatic' })], [NSCLC]));
  expect(kind(card)).toBe('oncology-biomarker-indeterminate');
  expect(card.indicator).toBe('warning');
  expect(card.detail).toMatch(/cannot be placed/);
  expect(card.summary).not.toMatch(/negative/i);
});

test('thresholds: PD-L1 30% confirms pembrolizumab (≥ 1%) in NSCLC; TMB 6 mut/Mb alone does not confirm TMB-H', async () => {
  const pdl1 = only(await sign('pembrolizumab', [measure('pdl1', '83053-9', { valueQuantity: { value: 30, unit: '%' } })], [NSCLC]));
  expect(kind(pdl1)).toBe('oncology-biomarker-confirmed');
  expect(pdl1.summary).toMatch(/PD-L1|CD274/);
  const tmb = only(await sign('Keytruda', [measure('tmb', '94076-7', { valueQuantity: { value: 6 } })], [CRC]));
  expect(kind(tmb)).not.toBe('oncology-biomarker-confirmed');
});

test('HER2 by IHC: positive confirms trastuzumab in breast cancer; equivocal is indeterminate', async () => {
  const pos = only(await sign('trastuzumab', [measure('her2', '85319-2', { valueCodeableConcept: lnc('LA6576-8', 'Positive') })], [BREAST]));
  expect(kind(pos)).toBe('oncology-biomarker-confirmed');
  const eq = only(await sign('trastuzumab', [measure('her2', '85319-2', { valueCodeableConcept: lnc('LA11885-1', 'Equivocal') })], [BREAST]));
  expect(kind(eq)).toBe('oncology-biomarker-indeterminate');
});

test('tumour-result strings from the EHR are text on the card: no HTML element or javascript: link can come from them', async () => {
  const hostile = '`<img src=x onerror=alert(1)>` [x](javascript:alert(1)) **b**';
  const obs = variant('6407', 'KRAS', { protein: 'p.Gly12Asp', origin: 'somatic', text: hostile });
  obs.method = { text: hostile };
  obs.specimen = { display: hostile };
  const card = only(await sign('cetuximab 2 MG/ML Injectable Solution', [obs], [CRC]));
  // marked's UMD build (Jest's sandbox cannot require its ESM), as the output-encoding property test loads it
  const { marked } = require(require('node:path').join(__dirname, '..', '..', 'node_modules', 'marked', 'lib', 'marked.umd.js')) as {
    marked: { parse: (md: string, opts: { async: false; gfm: boolean }) => string };
  };
  const html = marked.parse(card.detail ?? '', { async: false, gfm: true });
  expect(html).not.toMatch(/<img|<a [^>]*href="javascript:/i);
  expect(card.summary).not.toMatch(/[<>]/);
});

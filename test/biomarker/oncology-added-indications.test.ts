/**
 * Indications added to the companion-diagnostic table, each through HTTP: trastuzumab in HER2-positive gastric
 * cancer, trastuzumab deruxtecan in HER2-low breast cancer (read from the lab's IHC score), ivosidenib in IDH1-
 * mutant MDS and cholangiocarcinoma, rucaparib in BRCA-mutated ovarian cancer.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Condition, Observation } from 'fhir/r4';
import { buildApp } from '../../src/app';
import { testConfig } from '../../src/config';
import type { Card, HookResponse } from '../../src/cdshooks/types';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(testConfig());
  await app.ready();
});
afterAll(() => app.close());

const PID = 'onc-added';
const LOINC = 'http://loinc.org';
const lnc = (code: string, display?: string) => ({ coding: [{ system: LOINC, code, ...(display ? { display } : {}) }] });

const variant = (gene: string, protein: string, origin: 'somatic' | 'germline', pathogenic = false): Observation => ({
  resourceType: 'Observation',
  id: `var-${gene}`,
  status: 'final',
  code: lnc('69548-6', 'Genetic variant assessment'),
  subject: { reference: `Patient/${PID}` },
  effectiveDateTime: '2026-10-02',
  valueCodeableConcept: lnc('LA9633-4', 'Present'),
  component: [
    { code: lnc('48018-6'), valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org/geneId', display: gene }] } },
    { code: lnc('48005-3'), valueCodeableConcept: { coding: [{ system: 'http://varnomen.hgvs.org', code: protein, display: protein }] } },
    { code: lnc('48002-0'), valueCodeableConcept: lnc(origin === 'somatic' ? 'LA6684-0' : 'LA6683-2', origin) },
    ...(pathogenic ? [{ code: lnc('53037-8'), valueCodeableConcept: lnc('LA6668-3', 'Pathogenic') }] : []),
  ],
});
const her2 = (value: 'LA6576-8' | 'LA6577-6', text: string): Observation => ({
  resourceType: 'Observation',
  id: `her2-${value}`,
  status: 'final',
  code: lnc('48676-1', 'HER2 [Interpretation] in Tissue'),
  subject: { reference: `Patient/${PID}` },
  effectiveDateTime: '2026-10-02',
  valueCodeableConcept: { ...lnc(value), text },
});
const condition = (system: string, code: string, display: string): Condition => ({
  resourceType: 'Condition',
  id: `cond-${code}`,
  subject: { reference: `Patient/${PID}` },
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system, code, display }] },
});
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';

async function sign(drug: string, observations: Observation[], conditions: Condition[]): Promise<Card> {
  const body = {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/onc',
      patientId: PID,
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'MedicationRequest', id: 'draft', status: 'draft', intent: 'order', subject: { reference: `Patient/${PID}` }, medicationCodeableConcept: { text: drug } } }],
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
  const cards = (res.json() as HookResponse).cards;
  expect(cards).toHaveLength(1);
  return cards[0]!;
}
const kind = (c: Card) => c.source.topic?.code;

test('trastuzumab in HER2-positive gastric cancer: confirmed, with the gastric rule and its label scope', async () => {
  const card = await sign('trastuzumab', [her2('LA6576-8', 'IHC 3+')], [condition(ICD, 'C16.9', 'Malignant neoplasm of stomach')]);
  expect(kind(card)).toBe('oncology-biomarker-confirmed');
  expect(card.detail).toContain('`trastuzumab-gastric-her2`');
  expect(card.detail).toMatch(/Label scope: metastatic, first line, with cisplatin/);
});

test('trastuzumab deruxtecan in breast cancer: IHC 1+ (negative) confirms HER2-low; IHC 0 is contrary; no score is indeterminate', async () => {
  const breast = [condition(ICD, 'C50.911', 'Breast cancer')];
  const low = await sign('Enhertu', [her2('LA6577-6', 'IHC 1+')], breast);
  expect(kind(low)).toBe('oncology-biomarker-confirmed');
  expect(low.detail).toContain('`tdxd-breast-her2-low`');
  const zero = await sign('Enhertu', [her2('LA6577-6', 'IHC 0')], breast);
  expect(kind(zero)).toBe('oncology-biomarker-contrary');
  expect(zero.indicator).toBe('warning');
  const unscored = await sign('Enhertu', [her2('LA6577-6', 'Negative')], breast);
  expect(kind(unscored)).toBe('oncology-biomarker-indeterminate');
  expect(unscored.detail).toMatch(/without an IHC score/);
});

test('ivosidenib: IDH1 R132H confirms relapsed MDS (ICD-10-CM D46) and cholangiocarcinoma', async () => {
  const mds = await sign('ivosidenib', [variant('IDH1', 'p.Arg132His', 'somatic')], [condition(ICD, 'D46.9', 'Myelodysplastic syndrome, unspecified')]);
  expect(kind(mds)).toBe('oncology-biomarker-confirmed');
  expect(mds.detail).toContain('`ivosidenib-mds-idh1`');
  const cca = await sign('Tibsovo', [variant('IDH1', 'p.Arg132Cys', 'somatic')], [condition(ICD, 'C22.1', 'Intrahepatic bile duct carcinoma')]);
  expect(kind(cca)).toBe('oncology-biomarker-confirmed');
  expect(cca.detail).toContain('`ivosidenib-cholangio-idh1`');
});

test('rucaparib in ovarian cancer: a germline pathogenic BRCA2 variant confirms (germline or somatic accepted)', async () => {
  const card = await sign('rucaparib', [variant('BRCA2', 'p.Ser1982fs', 'germline', true)], [condition(ICD, 'C56.1', 'Malignant neoplasm of right ovary')]);
  expect(kind(card)).toBe('oncology-biomarker-confirmed');
  expect(card.detail).toContain('`rucaparib-ovarian-brca`');
  expect(card.detail).toContain('germline');
});

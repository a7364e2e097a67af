/**
 * Specialty oncology orders through the benefit, over HTTP with the sample plans: the PA preview reads the
 * tumour results (`%biomarker`, `%cdx` in plans/sample/policy.yaml), a confirmed companion diagnostic gets the
 * plan's same-day determination, a contrary one names the criterion not met, and the specialty tier names the
 * plan's specialty pharmacy on the card and in the CRD coverage information.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Bundle, Extension, Observation } from 'fhir/r4';
import type { Card, HookResponse } from '../../src/cdshooks/types';
import { buildHookRequest, type ExampleSpec } from '../../src/sample-patients/build-request';
import { bindings, cardFor, spec, startService } from '../scenarios/helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const LOINC = 'http://loinc.org';
const lnc = (code: string, display?: string) => ({ coding: [{ system: LOINC, code, ...(display ? { display } : {}) }] });

/** a tumour pertinent negative (Genomics Reporting variant, value Absent), as a lab reports "no mutation in <gene>" */
const notDetected = (patientId: string, gene: string): Observation => ({
  resourceType: 'Observation',
  id: `neg-${gene}`,
  status: 'final',
  code: lnc('69548-6', 'Genetic variant assessment'),
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2026-10-02',
  valueCodeableConcept: lnc('LA9634-2', 'Absent'),
  component: [
    { code: lnc('48018-6'), valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org/geneId', display: gene }] } },
    { code: lnc('48002-0'), valueCodeableConcept: lnc('LA6684-0', 'Somatic') },
  ],
});

const measure = (patientId: string, id: string, code: string, value: Partial<Observation>): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: lnc(code),
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2026-10-02',
  ...value,
});

async function call(patient: ExampleSpec, hook: 'order-select' | 'order-sign', extra: Observation[] = []): Promise<HookResponse> {
  const body = buildHookRequest(patient, { hook, now: new Date().toISOString(), bindings, hookInstance: randomUUID() }) as {
    prefetch: { pgx: Bundle };
  };
  body.prefetch.pgx.entry = [...(body.prefetch.pgx.entry ?? []), ...extra.map((resource) => ({ resource }))];
  const res = await app.inject({ method: 'POST', url: `/cds-services/pgx-benefit-${hook}`, payload: body });
  expect(res.statusCode).toBe(200);
  return res.json() as HookResponse;
}

const coverageInformation = (response: HookResponse): Extension | undefined => {
  const action = response.systemActions?.find((a) => a.type === 'update');
  return (action?.resource as { extension?: Extension[] } | undefined)?.extension?.find((e) => e.url.endsWith('ext-coverage-information'));
};
const detail = (ci: Extension | undefined, code: string) =>
  ci?.extension?.filter((e) => e.url === 'detail').find((d) => JSON.stringify(d).includes(`"${code}"`));

describe('companion diagnostic confirmed (Leo: EGFR L858R NSCLC, osimertinib)', () => {
  test('order-sign: PA auto-approvable — companion diagnostic confirmed, what to attach, same-day decision, every criterion met', async () => {
    const response = await call(spec('pbh-leo'), 'order-sign');
    const card = cardFor(response.cards, 'osimertinib');
    expect(card.source.topic?.code).toBe('oncology-biomarker-confirmed');
    expect(card.detail).toContain('**PA preview:** auto-approvable — companion diagnostic confirmed (`PA-ONC-OSIMERTINIB`)');
    expect(card.detail).toMatch(/Attach: pathology report or problem-list entry documenting NSCLC; tumour \(or plasma\) EGFR mutation report/);
    expect(card.detail).toContain('Decision: **same day** (Same-day determination (companion diagnostic confirmed))');
    // the full preview: each criterion with its evidence, the CDx criterion showing the table's verdict
    expect(card.detail).toMatch(/✅ met: EGFR exon 19 deletion, exon 21 L858R or T790M.*\(companion diagnostic for osimertinib in non-small cell lung cancer: confirmed \(osimertinib-nsclc-egfr\)\)/);
    expect(card.detail).toMatch(/Same-day determination \(companion diagnostic confirmed\): same day _\(Plan terms \(sample\)/);
    // specialty tier and the plan's specialty pharmacy
    expect(card.detail).toMatch(/tier specialty, prior authorization/);
    expect(card.detail).toContain("Dispensed by the plan's specialty pharmacy: **Sample Specialty Pharmacy (fictional)** (1-800-555-0142)");
    const ci = coverageInformation(response);
    expect(JSON.stringify(detail(ci, 'specialty-pharmacy'))).toContain('Sample Specialty Pharmacy (fictional)');
    expect(JSON.stringify(detail(ci, 'prior-auth-pathway'))).toContain('auto-approvable');
  });

  test('order-select: the PA answer and the decision timeframe are on the card before signing', async () => {
    const card = cardFor((await call(spec('pbh-leo'), 'order-select')).cards, 'osimertinib');
    expect(card.detail).toContain('auto-approvable — companion diagnostic confirmed');
    expect(card.detail).toContain('Decision: **same day**');
  });

  test('the Part D plan lists osimertinib too: same-day pathway beside the regulatory coverage-determination clocks', async () => {
    const card = cardFor((await call(spec('pbh-leo', { plan: 'medicare' }), 'order-sign')).cards, 'osimertinib');
    expect(card.detail).toContain('auto-approvable — companion diagnostic confirmed');
    expect(card.detail).toMatch(/Same-day determination[^\n]*same day/);
    expect(card.detail).toMatch(/Expedited coverage determination: 24 hours _\(42 CFR 423\.572\)_/);
    expect(card.detail).toContain('Sample Part D Specialty Pharmacy (fictional)');
  });

  test('no EGFR result on file: needs documentation, no same-day pathway', async () => {
    const card = cardFor((await call(spec('pbh-leo', { tumourVariants: [] }), 'order-sign')).cards, 'osimertinib');
    expect(card.source.topic?.code).toBe('oncology-biomarker-missing');
    expect(card.detail).toMatch(/\*\*PA preview:\*\* likely denied \(`PA-ONC-OSIMERTINIB`\) — not met: EGFR exon 19 deletion/);
    expect(card.detail).not.toContain('same day');
  });
});

describe('biomarker contrary (Maya: KRAS G12D colorectal cancer, cetuximab)', () => {
  test('PA preview: likely denied — the RAS wild-type criterion is not met, with the tumour result as evidence', async () => {
    const response = await call(spec('pbh-maya'), 'order-sign');
    const card = cardFor(response.cards, 'cetuximab');
    expect(card.indicator).toBe('critical');
    expect(card.detail).toMatch(
      /\*\*PA preview:\*\* likely denied \(`PA-ONC-ANTI-EGFR-CRC`\) — not met: KRAS and NRAS wild-type in the tumour[^\n]*\(KRAS: detected \(G12D\) in the tumour; NRAS: no tumour result on file\)/,
    );
    expect(card.detail).toMatch(/❌ not met: KRAS and NRAS wild-type/);
    expect(card.detail).toContain('Decision: **72 hours** (Standard prior authorization / step-therapy exception)');
    expect(card.detail).not.toContain('companion diagnostic confirmed');
    expect(card.detail).not.toContain('same day');
    expect(JSON.stringify(detail(coverageInformation(response), 'prior-auth-pathway'))).toContain('likely-denied');
  });

  test('the same order with KRAS and NRAS tested wild-type: auto-approvable, same day', async () => {
    const patient = spec('pbh-maya', { tumourVariants: [] });
    const card = cardFor((await call(patient, 'order-sign', [notDetected('pbh-maya', 'KRAS'), notDetected('pbh-maya', 'NRAS')])).cards, 'cetuximab');
    expect(card.source.topic?.code).toBe('oncology-biomarker-confirmed');
    expect(card.detail).toContain('**PA preview:** auto-approvable — companion diagnostic confirmed (`PA-ONC-ANTI-EGFR-CRC`)');
    expect(card.detail).toMatch(/✅ met: KRAS and NRAS wild-type[^\n]*\(KRAS: not-detected in the tumour; NRAS: not-detected in the tumour\)/);
    expect(card.detail).toContain('Decision: **same day**');
  });
});

describe('pembrolizumab: the plan reads PD-L1, MSI and TMB as alternative criteria', () => {
  const lungOrder = (extra: Observation[]) =>
    call(spec('pbh-leo', { tumourVariants: [], orders: [{ rxcui: '', display: 'pembrolizumab 25 MG/ML Injectable Solution' }] }), 'order-sign', extra);

  test('PD-L1 60% in NSCLC: met through the PD-L1 criterion, auto-approvable, same day', async () => {
    const card = cardFor((await lungOrder([measure('pbh-leo', 'pdl1', '83053-9', { valueQuantity: { value: 60, unit: '%' } })])).cards, 'pembrolizumab');
    expect(card.source.topic?.code).toBe('oncology-biomarker-confirmed');
    expect(card.detail).toMatch(/✅ met: NSCLC with PD-L1 expression on at least 1% of tumour cells[^\n]*\(PDL1: 60 %\)/);
    expect(card.detail).toContain('auto-approvable — companion diagnostic confirmed');
    expect(card.detail).toContain('Decision: **same day**');
  });

  test('PD-L1 below 1% and no MSI / TMB result: needs documentation, the biomarker criteria shown as not met or unknown', async () => {
    const card = cardFor((await lungOrder([measure('pbh-leo', 'pdl1', '83053-9', { valueQuantity: { value: 0, unit: '%' } })])).cards, 'pembrolizumab');
    // the table: PD-L1 below threshold for NSCLC, but MSI-H / TMB-H (solid tumours) untested, so "test", not "wrong drug"
    expect(card.source.topic?.code).toBe('oncology-biomarker-missing');
    expect(card.detail).toMatch(/\*\*PA preview:\*\* needs documentation \(`PA-ONC-PEMBROLIZUMAB`\)/);
    expect(card.detail).toMatch(/❌ not met: NSCLC with PD-L1[^\n]*\(PDL1: 0 %\)/);
    expect(card.detail).toMatch(/❔ unknown: microsatellite instability-high[^\n]*\(MSI: no tumour result on file\)/);
    expect(card.detail).not.toContain('same day');
  });
});

test('a germline variant never satisfies a tumour criterion', async () => {
  const patient = spec('pbh-maya', {
    tumourVariants: [
      { gene: 'KRAS', protein: 'p.Gly12Asp', origin: 'germline', daysAgo: 30 },
    ],
  });
  const card: Card = cardFor((await call(patient, 'order-sign', [notDetected('pbh-maya', 'NRAS')])).cards, 'cetuximab');
  // KRAS: only a germline result, so the tumour status is unknown and the request needs documentation
  expect(card.detail).toMatch(/needs documentation \(`PA-ONC-ANTI-EGFR-CRC`\)/);
  expect(card.detail).toMatch(/KRAS: no tumour result; germline G12D/);
});

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Observation } from 'fhir/r4';
import type { HookResponse } from '../../src/cdshooks/types';
import { buildHookRequest, type ExampleSpec } from '../../src/sample-patients/build-request';
import { bindings, callHook, cardFor, spec, startService } from './helpers';

/**
 * The card indicator comes from each CPIC row's stored classification (docs/card-calibration.md), partial
 * genotypes give the known gene's advice, result status is honoured — all through the hook route.
 * The plan is one the service has no formulary for, so the indicator is the PGx one alone.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const RX: Record<string, [string, string]> = {
  codeine: ['2670', 'codeine'],
  tramadol: ['10689', 'tramadol'],
  hydrocodone: ['5489', 'hydrocodone'],
  tacrolimus: ['42316', 'tacrolimus'],
  amikacin: ['641', 'amikacin'],
  sevoflurane: ['36453', 'sevoflurane'],
  amitriptyline: ['704', 'amitriptyline'],
  warfarin: ['11289', 'warfarin'],
  clopidogrel: ['32968', 'clopidogrel'],
  fluvastatin: ['41127', 'fluvastatin'],
};

function patient(genotypes: Array<[string, string]>, drugs: string[]): ExampleSpec {
  return spec('pbh-ava', {
    plan: 'unknown-plan',
    activeMedications: [],
    genotypes: genotypes.map(([gene, value]) => ({ gene, value, daysAgo: 30 })),
    orders: drugs.map((d) => ({ rxcui: RX[d]![0], display: RX[d]![1] })),
  });
}

describe('indicator from the stored classification', () => {
  it.each([
    ['codeine', [['CYP2D6', 'CYP2D6 *1/*4']]],
    ['tramadol', [['CYP2D6', 'CYP2D6 *1/*4']]],
    ['hydrocodone', [['CYP2D6', 'CYP2D6 *1/*4']]],
    ['tacrolimus', [['CYP3A5', 'CYP3A5 *3/*3']]],
    ['amikacin', [['MT-RNR1', 'MT-RNR1 Reference']]],
    ['sevoflurane', [['RYR1', 'RYR1 Reference/Reference'], ['CACNA1S', 'CACNA1S Reference/Reference']]],
  ] as Array<[string, Array<[string, string]>]>)('%s: CPIC standard dosing with the usual monitoring → info', async (drug, genotypes) => {
    const { cards } = await callHook(app, patient(genotypes, [drug]));
    const card = cardFor(cards, drug);
    expect(card.indicator).toBe('info');
    expect(card.summary).toMatch(/standard dosing/);
    expect(card.detail).toMatch(/^\*\*Standard \w+ dosing; the usual monitoring applies\.\*\*/);
  });

  it('codeine at CYP2D6 activity score 1.0 names the result and strength in its first lines', async () => {
    const { cards } = await callHook(app, patient([['CYP2D6', 'CYP2D6 *1/*4']], ['codeine']));
    const lines = cardFor(cards, 'codeine').detail!.split('\n');
    expect(lines[1]).toBe('Why: CYP2D6 `*1/*4` → Intermediate Metabolizer; CPIC recommendation, moderate.');
  });

  it('a strong "use an alternative" stays critical (clopidogrel, CYP2C19 *2/*2)', async () => {
    const { cards } = await callHook(app, patient([['CYP2C19', 'CYP2C19 *2/*2']], ['clopidogrel']));
    expect(cardFor(cards, 'clopidogrel').indicator).toBe('critical');
  });

  it('a dose change is a warning (codeine at CYP2D6 poor metabolizer is avoid/strong → critical; tacrolimus *1/*1 → warning)', async () => {
    const { cards } = await callHook(app, patient([['CYP3A5', 'CYP3A5 *1/*1'], ['CYP2D6', 'CYP2D6 *4/*4']], ['tacrolimus', 'codeine']));
    expect(cardFor(cards, 'tacrolimus').indicator).toBe('warning');
    expect(cardFor(cards, 'codeine').indicator).toBe('critical');
  });
});

describe('partial genotypes', () => {
  it("amitriptyline, CYP2C19 *2/*2 and no CYP2D6 result: CPIC's own row for that case (avoid or 50% lower dose, moderate)", async () => {
    const { cards } = await callHook(app, patient([['CYP2C19', 'CYP2C19 *2/*2']], ['amitriptyline']));
    const card = cardFor(cards, 'amitriptyline');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/CYP2C19 Poor Metabolizer — avoid \(CPIC moderate\)/);
    expect(card.detail).toMatch(/^\*\*Avoid amitriptyline; if it must be used: consider a starting dose 50% lower/);
    expect(card.detail).toMatch(/rule `amitriptyline-gap-\d+`/);
    expect(card.detail).toMatch(/No result for CYP2D6 on file/);
  });

  it('warfarin, CYP2C9 *3/*3 and no VKORC1 result: a warning with the FDA label range, VKORC1 named and its test offered', async () => {
    const { cards } = await callHook(app, patient([['CYP2C9', 'CYP2C9 *3/*3']], ['warfarin']));
    const card = cardFor(cards, 'warfarin');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/expected dose 0\.5–2 mg\/day \(FDA label\); no VKORC1 result/);
    expect(card.detail).toMatch(/^\*\*Expect a lower warfarin dose: 0\.5–2 mg\/day whatever the VKORC1 genotype \(FDA label; usual 5–7 mg\/day\)\. Test VKORC1\.\*\*/);
    expect(card.detail).toMatch(/COUMADIN/);
    expect(card.suggestions?.some((s) => /VKORC1 genotyping/.test(s.label))).toBe(true);
  });

  it('fluvastatin, CYP2C9 *1/*3 and no SLCO1B1 result (CPIC has no row for it): the known gene\'s advice, SLCO1B1 named, its test offered', async () => {
    const { cards } = await callHook(app, patient([['CYP2C9', 'CYP2C9 *1/*3']], ['fluvastatin']));
    const card = cardFor(cards, 'fluvastatin');
    // every SLCO1B1 result leads to a dose change or avoidance at moderate strength: at least a warning
    expect(card.indicator).toBe('warning');
    expect(card.detail).toMatch(/^\*\*Every possible SLCO1B1 result calls for a change \(dose or drug\) per CPIC: test SLCO1B1/);
    expect(card.detail).toMatch(/- SLCO1B1 Increased Function; SLCO1B1 Normal Function: Use fluvastatin with a dose adjustment: Start at ≤40 mg\/day/);
    expect(card.detail).toMatch(/- SLCO1B1 Poor Function: Avoid fluvastatin/);
    expect(card.suggestions?.some((s) => /SLCO1B1 genotyping/.test(s.label))).toBe(true);
  });

  it('warfarin, CYP2C9 *1/*1 and no VKORC1 result: the range depends on VKORC1, so no warning', async () => {
    const { cards } = await callHook(app, patient([['CYP2C9', 'CYP2C9 *1/*1']], ['warfarin']));
    const card = cardFor(cards, 'warfarin');
    expect(card.indicator).toBe('info');
    expect(card.detail).toMatch(/5–7 mg\/day with VKORC1 -1639 GG; 5–7 mg\/day with VKORC1 -1639 AG; 3–4 mg\/day with VKORC1 -1639 AA/);
  });
});

/** the hook request with every genomics Observation given a status */
async function callWithStatus(p: ExampleSpec, status: Observation['status']): Promise<HookResponse> {
  const body = buildHookRequest(p, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.resourceType === 'Observation') o.status = status;
      Object.values(o).forEach(visit);
    }
  };
  visit(body.prefetch);
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  return res.json() as HookResponse;
}

describe('result status', () => {
  const ava = patient([['CYP2C19', 'CYP2C19 *2/*2']], ['clopidogrel']);

  it.each(['final', 'amended', 'corrected'] as const)('%s drives advice at full strength', async (status) => {
    const card = cardFor((await callWithStatus(ava, status)).cards, 'clopidogrel');
    expect(card.indicator).toBe('critical');
    expect(card.detail).not.toMatch(/Preliminary/);
  });

  it.each(['preliminary', 'registered'] as const)('%s is said, and a critical becomes a warning', async (status) => {
    const card = cardFor((await callWithStatus(ava, status)).cards, 'clopidogrel');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toContain(`${status} result — confirm before acting`);
    expect(card.detail).toMatch(/Preliminary — confirm before acting\.\*\* The result behind this advice is not final: CYP2C19/);
    expect(card.detail).toMatch(/Shown as a warning, not critical, until a final result confirms it/);
  });

  it('a preliminary result approves no prior authorization: the PA of the alternative needs the final result', async () => {
    const onPlan = spec('pbh-ava');
    const final = cardFor((await callWithStatus(onPlan, 'final')).cards, 'clopidogrel').detail!;
    const prelim = cardFor((await callWithStatus(onPlan, 'preliminary')).cards, 'clopidogrel').detail!;
    expect(final).toMatch(/Prior authorization for prasugrel\*\* \(PA-PRASUGREL\): auto-approvable/);
    expect(prelim).toMatch(/Prior authorization for prasugrel\*\* \(PA-PRASUGREL\): needs documentation/);
    expect(prelim).toMatch(/CYP2C19: no final, interpretable result on file/);
  });

  it('a preliminary result grants no step-therapy exemption (Ben: oxycodone on a codeine-first plan)', async () => {
    const oxyFinal = cardFor((await callWithStatus(spec('pbh-ben'), 'final')).cards, 'oxycodone');
    const oxyPrelim = cardFor((await callWithStatus(spec('pbh-ben'), 'preliminary')).cards, 'oxycodone');
    expect(oxyFinal.summary).toMatch(/step therapy exempt/);
    expect(oxyPrelim.summary).toMatch(/step therapy required/);
    expect(oxyPrelim.detail).toMatch(/an exemption would rest on a result that is not final \(CYP2D6 preliminary\): confirm it first/);
  });

  it.each(['entered-in-error', 'cancelled'] as const)('%s is ignored and named in the not-checked lines', async (status) => {
    const card = cardFor((await callWithStatus(ava, status)).cards, 'clopidogrel');
    expect(card.summary).toMatch(/no CYP2C19 result/);
    expect(card.detail).toContain(`a CYP2C19 result marked ${status} was ignored`);
  });
});

describe('prior-authorization criteria by pathway', () => {
  it('Ava (sample patient): the met genomic pathway makes the "clopidogrel tried" pathway not needed, never "not met"', async () => {
    const { cards } = await callHook(app, spec('pbh-ava'));
    const detail = cardFor(cards, 'clopidogrel').detail!;
    expect(detail).toMatch(/auto-approvable/);
    expect(detail).not.toMatch(/❌ not met/);
    expect(detail).toMatch(/One of these \(met\):\n {4}- ✅ met: CYP2C19 poor or intermediate metabolizer[^\n]*\n {4}- ➖ not needed: clopidogrel tried before/);
  });
});

describe('reclassification', () => {
  it('is said once per result', async () => {
    const p = patient([['CYP2D6', 'CYP2D6 *1/*4']], ['codeine']);
    const body = buildHookRequest(p, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
    // the lab also reported a phenotype computed with older cut-offs (normal metabolizer)
    const entries = (body.prefetch as Record<string, { entry?: Array<{ resource: Observation }> }>);
    const key = Object.keys(entries).find((k) => entries[k]?.entry?.some((e) => e.resource.resourceType === 'Observation'))!;
    const genotype = entries[key]!.entry!.find((e) => e.resource.resourceType === 'Observation')!.resource;
    entries[key]!.entry!.push({
      resource: {
        ...structuredClone(genotype),
        id: 'lab-phenotype',
        code: { coding: [{ system: 'http://loinc.org', code: '53040-2', display: 'Genetic variation clinical significance' }] },
        valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA25391-6', display: 'Normal metabolizer' }] },
        valueString: undefined,
      } as Observation,
    });
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    const detail = cardFor((res.json() as HookResponse).cards, 'codeine').detail!;
    expect(detail.match(/lab reported/gi)).toHaveLength(1);
    expect(detail).toMatch(/Lab reported _Normal Metabolizer_; reclassified with current CPIC tables \([^)]+\) to _Intermediate Metabolizer_/);
  });
});

/**
 * encodeCoverageInformation: a benefit decision (written by hand) as the Da Vinci CRD coverage-information
 * extension; the IG conformance of the output is checked in coverage-information.test.ts.
 */
import type { Coverage, Extension } from 'fhir/r4';
import { encodeCoverageInformation, type CoverageEncodingContext } from '../../src/benefit/coverage-information';
import { decideBenefit } from '../../src/benefit/decide-benefit';
import { coverageReason } from '../../src/benefit/explain-benefit';
import type { BenefitDecision, PaPreview, StepTherapyResult } from '../../src/benefit/types';
import { ACS, NOW, commercial, coverage, drugRef, gene, input, pgx } from './helpers';

const CYP2C19_PM = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };

describe('encodeCoverageInformation: the decision as the CRD extension', () => {
  const cov: Coverage = { ...coverage('PBH-COMM-GOLD-2026'), id: 'cov-9' };
  const ctx: CoverageEncodingContext = { plan: { id: 'P', version: 'v1', name: 'Gold' }, orderId: 'draft-1', coverage: cov, now: NOW, reason: 'the reason' };
  const covered = { covered: true, tier: 'generic', priorAuthorization: false, stepTherapy: false, quantityLimit: false, ruleId: 'R1' };
  const decision = (over: Partial<BenefitDecision>): BenefitDecision => ({
    drug: drugRef('hydromorphone'),
    planId: 'P',
    planName: 'Gold',
    planVersion: 'v1',
    status: covered,
    alternatives: [],
    costShare: { standard: '$10 copay (generic)' },
    unmatched: false,
    ...over,
  });
  const parts = (e: Extension | undefined) => {
    const by = (url: string) => e!.extension!.filter((x) => x.url === url);
    return {
      covered: by('covered')[0]?.valueCode,
      paNeeded: by('pa-needed')[0]?.valueCode,
      docNeeded: by('doc-needed')[0]?.valueCode,
      docPurpose: by('doc-purpose')[0]?.valueCode,
      infoNeeded: by('info-needed')[0]?.valueCode,
      reason: by('reason')[0]?.valueCodeableConcept?.text,
      details: by('detail').map((d) => [d.extension![1]!.valueCodeableConcept!.coding![0]!.code, d.extension![2]!.valueString]),
      assertion: by('coverage-assertion-id')[0]?.valueString,
    };
  };
  const exempt: StepTherapyResult = { status: 'exempt', protocolId: 'ST', steps: [{ drugOrClass: 'codeine', outcome: 'exempt', evidence: 'CYP2D6 PM' }], basis: 'state law' };
  const pa = (pathway: PaPreview['pathway']): PaPreview => ({ criteriaSetId: 'PA', pathway, criteria: [], attachments: [], reason: 'why', timeframes: [] });

  it('a specialty pharmacy is reference information (cat-other) with the plan terms it comes from', () => {
    const sp = { name: 'Sample Specialty Rx', phone: '1-800-000-0000', source: 'plan terms' };
    const e = encodeCoverageInformation(decision({ specialtyPharmacy: sp }), ctx);
    expect(parts(e).details).toContainEqual(['specialty-pharmacy', 'Sample Specialty Rx']);
    const detail = e!.extension!.find((x) => x.url === 'detail' && x.extension![1]!.valueCodeableConcept!.coding![0]!.code === 'specialty-pharmacy')!;
    expect(detail.extension!.find((x) => x.url === 'category')?.valueCode).toBe('cat-other');
    expect(detail.extension!.find((x) => x.url === 'qualification')?.valueString).toBe('plan terms');
  });

  it('no Coverage, no extension', () => {
    expect(encodeCoverageInformation(decision({}), { ...ctx, coverage: undefined })).toBeUndefined();
  });

  it('covered without restrictions: no PA, the plan rule and the tier, the reason given', () => {
    expect(parts(encodeCoverageInformation(decision({}), ctx))).toMatchObject({
      covered: 'covered',
      paNeeded: 'no-auth',
      docNeeded: undefined,
      reason: 'the reason',
      details: [
        ['plan', 'Gold — R1'],
        ['tier', 'generic: $10 copay (generic)'],
      ],
    });
  });

  it('a genomic step exemption: conditional, clinical documentation kept (not sent with a PA)', () => {
    const e = parts(encodeCoverageInformation(decision({ status: { ...covered, stepTherapy: true }, stepTherapy: exempt }), ctx));
    expect(e).toMatchObject({ covered: 'conditional', paNeeded: 'no-auth', docNeeded: 'clinical', docPurpose: 'retain-doc', infoNeeded: 'OTH' });
    expect(e.details).toContainEqual(['step-therapy', 'exempt: codeine exempt']);
  });

  it('a PA to request: auth-needed, documentation with the PA; new starts only: no-auth', () => {
    const needed = parts(encodeCoverageInformation(decision({ status: { ...covered, priorAuthorization: true }, priorAuth: pa('needs-documentation') }), ctx));
    expect(needed).toMatchObject({ paNeeded: 'auth-needed', docNeeded: 'clinical', docPurpose: 'withpa' });
    expect(needed.details).toContainEqual(['prior-auth-pathway', 'needs-documentation']);
    const continuing = parts(encodeCoverageInformation(decision({ status: { ...covered, priorAuthorization: true }, priorAuth: pa('not-required') }), ctx));
    expect(continuing).toMatchObject({ paNeeded: 'no-auth', docNeeded: undefined });
    expect(continuing.details).toContainEqual(['prior-auth-pathway', 'not-required']);
  });

  it('a PA flag without a preview is indeterminate', () => {
    expect(parts(encodeCoverageInformation(decision({ status: { ...covered, priorAuthorization: true } }), ctx)).paNeeded).toBe('indeterminate');
  });

  it('not covered: no pa-needed, the best alternative named', () => {
    const alternative = { drug: drugRef('morphine'), status: covered, pgx: pgx('morphine', 'appropriate'), rank: 1, why: 'fits' };
    const e = parts(encodeCoverageInformation(decision({ status: { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false, ruleId: 'F#not-listed' }, alternatives: [alternative] }), ctx));
    expect(e).toMatchObject({ covered: 'not-covered', paNeeded: undefined, details: [['plan', 'Gold — F#not-listed'], ['alternative', 'morphine (generic)']] });
  });

  it('unmatched: indeterminate, no details, its own assertion id', () => {
    const unmatched = parts(encodeCoverageInformation(decision({ unmatched: true, costShare: undefined }), ctx));
    expect(unmatched).toMatchObject({ covered: 'indeterminate', paNeeded: 'indeterminate', details: [] });
    expect(unmatched.assertion).not.toBe(parts(encodeCoverageInformation(decision({}), ctx)).assertion);
  });

  it('the assertion id follows what is asserted and is the same for the same decision', () => {
    const a = parts(encodeCoverageInformation(decision({}), ctx)).assertion;
    expect(parts(encodeCoverageInformation(decision({}), ctx)).assertion).toBe(a);
    expect(parts(encodeCoverageInformation(decision({}), { ...ctx, orderId: 'draft-2' })).assertion).not.toBe(a);
  });

  it('a precision cost-share is a decisional detail with its GINA qualification', () => {
    const costShare = { standard: '$45 copay', precisionException: { drug: 'morphine', costShare: '$10 copay', reason: 'first line' } };
    const e = encodeCoverageInformation(decision({ costShare }), ctx)!;
    expect(JSON.stringify(e)).toMatch(/precision-cost-share.*morphine: \$10 copay.*never for eligibility, premiums or tiers/);
  });

  it('the whole assessment is the three steps together', () => {
    const i = input('clopidogrel', CYP2C19_PM, { record: { conditions: [ACS] } });
    const d = decideBenefit(i);
    expect(commercial().id).toBe(d.planId);
    const e = encodeCoverageInformation(d, { plan: i.plan, orderId: i.order.id!, coverage: i.record.coverage[0], now: i.now, reason: coverageReason(d, i.plan) });
    expect(parts(e).reason).toBe('clopidogrel is covered on Sample Commercial Gold PPO 2026, tier generic (rule FormularyItem-Formulary-PBH-COMM-2026-32968).');
  });
});

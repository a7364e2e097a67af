import { assessBenefit } from '../../src/benefit';
import { dispensed, gene, input } from './helpers';

describe('therapeutic classes', () => {
  it('a drug the policy does not list finds its class through the PGx engine’s drugClass', () => {
    const base = input('pitavastatin', {});
    const fluvastatin = { display: 'fluvastatin', cpicDrug: 'fluvastatin', ingredientRxcui: '41127', drugClass: 'statin', recognised: true };
    const a = assessBenefit({ ...base, drug: fluvastatin, pgx: { ...base.pgx, drug: fluvastatin, verdict: 'appropriate' } });
    expect(a.status.covered).toBe(false);
    expect(a.alternatives.length).toBeGreaterThan(0);
    expect(a.alternatives.every((x) => ['36567', '83367', '301542', '42463', '6472'].includes(x.drug.ingredientRxcui!))).toBe(true);
  });

  it('the policy is authoritative for the drugs it lists: aspirin is never offered for clopidogrel, nor P2Y12s for aspirin', () => {
    const pm = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };
    const clop = assessBenefit(input('clopidogrel', pm));
    expect(clop.alternatives.map((x) => x.drug.cpicDrug)).not.toContain('aspirin');
    const base = input('aspirin', { aspirin: { verdict: 'contraindicated' } });
    const aspirin = assessBenefit({ ...base, drug: { ...base.drug, drugClass: 'antiplatelet' } });
    expect(aspirin.alternatives).toEqual([]);
  });
});

describe('new starts only', () => {
  const pm = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };

  it('continuing ticagrelor: PA not required, CRD no-auth', () => {
    const a = assessBenefit(input('ticagrelor', pm, { record: { dispenses: [dispensed('ticagrelor', '2026-10-20')] } }));
    expect(a.priorAuth).toMatchObject({ pathway: 'not-required', reason: expect.stringMatching(/new starts only/) });
    expect(a.coverageInformation!.extension!.find((e) => e.url === 'pa-needed')?.valueCode).toBe('no-auth');
  });

  it('ticagrelor last dispensed long ago is a new start again', () => {
    const a = assessBenefit(input('ticagrelor', pm, { record: { dispenses: [dispensed('ticagrelor', '2025-06-01')] } }));
    expect(a.priorAuth?.pathway).not.toBe('not-required');
  });

  it('continuing hydromorphone: the codeine step does not apply', () => {
    const a = assessBenefit(input('hydromorphone', {}, { record: { dispenses: [dispensed('hydromorphone', '2026-11-01')] } }));
    expect(a.stepTherapy).toMatchObject({ status: 'satisfied', steps: [{ drugOrClass: 'continuing therapy', outcome: 'satisfied' }] });
  });
});

/** coverageReason: the benefit decision in words, from decisions written by hand. */
import { coverageReason } from '../../src/benefit/explain-benefit';
import type { BenefitDecision } from '../../src/benefit/types';
import { drugRef } from './helpers';

describe('coverageReason: the decision in words', () => {
  const plan = { name: 'Gold', formulary: { id: 'F', name: 'Formulary 2026' } };
  const decision = (over: Partial<BenefitDecision>): BenefitDecision => ({
    drug: drugRef('ticagrelor'),
    planId: 'P',
    planName: 'Gold',
    planVersion: 'v1',
    status: { covered: true, tier: 'preferred-brand', priorAuthorization: false, stepTherapy: false, quantityLimit: false, ruleId: 'R1' },
    alternatives: [],
    unmatched: false,
    ...over,
  });

  it('covered, with its tier and rule', () => {
    expect(coverageReason(decision({}), plan)).toBe('ticagrelor is covered on Gold, tier preferred-brand (rule R1).');
  });
  it('covered with restrictions names each of them', () => {
    const status = { covered: true, tier: 'specialty', priorAuthorization: true, stepTherapy: true, quantityLimit: true, quantityLimitDetail: '30 per 30 d', ruleId: 'R2' };
    expect(coverageReason(decision({ status }), plan)).toBe(
      'ticagrelor is covered on Gold, tier specialty, with prior authorization, step therapy, quantity limit (30 per 30 d) (rule R2).',
    );
  });
  it('not covered names the formulary', () => {
    expect(coverageReason(decision({ status: { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false } }), plan)).toBe(
      'Not on formulary Formulary 2026',
    );
  });
  it('unmatched says the formulary could not be checked', () => {
    expect(coverageReason(decision({ unmatched: true, drug: { display: '', recognised: false } }), plan)).toBe(
      'The ordered drug could not be matched to an RxNorm ingredient, so the formulary could not be checked',
    );
  });
});


/** decideBenefit called directly: the benefit decision for one order, as plain data. */
import { decideBenefit } from '../../src/benefit/decide-benefit';
import { ACS, gene, input } from './helpers';

const CYP2C19_PM = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };

describe('decideBenefit: the decision as data', () => {
  it('a drug matched neither to an ingredient nor to a listing is unmatched, with nothing checked', () => {
    const i = input('sertraline', {});
    const d = decideBenefit({ ...i, drug: { display: 'compounded cream', recognised: false }, order: { ...i.order, medicationCodeableConcept: { text: 'compounded cream' } } });
    expect(d).toMatchObject({ unmatched: true, alternatives: [], status: { covered: false, priorAuthorization: false } });
    expect(d.costShare).toBeUndefined();
    expect(d.listingCode).toBeUndefined();
  });

  it('a listed drug carries its listing code and its status; no alternatives when nothing is wrong', () => {
    const d = decideBenefit(input('sertraline', { sertraline: { verdict: 'appropriate' } }));
    expect(d).toMatchObject({ unmatched: false, listingCode: expect.any(String), status: { covered: true, tier: 'generic' }, alternatives: [] });
    expect(d.costShare?.standard).toMatch(/\$10 copay/);
  });

  it('an unlisted drug gets the formulary’s not-listed rule and no listing code', () => {
    const d = decideBenefit(input('pitavastatin', {}));
    expect(d.status).toMatchObject({ covered: false, ruleId: 'Formulary-PBH-COMM-2026#not-listed' });
    expect(d.listingCode).toBeUndefined();
  });

  it('a PA drug is previewed with the patient’s genomics of the drug it replaces', () => {
    const d = decideBenefit(input('ticagrelor', CYP2C19_PM, { record: { conditions: [ACS] } }));
    expect(d.priorAuth).toMatchObject({ criteriaSetId: 'PA-TICAGRELOR', pathway: 'auto-approvable' });
  });
});


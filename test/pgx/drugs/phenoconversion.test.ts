import { assessDrug } from '../../../src/pgx/assess-drug';
import { effectivePhenotype } from '../../../src/pgx/phenoconversion';
import { drug, kb, profile, result } from './fixtures';

const cyp2d6 = (score: string, p: string) => result('CYP2D6', p, score, { activityScore: score });

describe('phenoconversion', () => {
  it('paroxetine (strong CYP2D6 inhibitor) makes a CYP2D6 normal metabolizer a poor one for codeine', () => {
    const a = assessDrug(drug('codeine'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [drug('paroxetine')], kb);
    expect(a.effectivePhenotypes).toEqual([
      {
        gene: 'CYP2D6',
        genotypePhenotype: 'Normal Metabolizer',
        effectivePhenotype: 'Poor Metabolizer',
        cause: { drug: 'paroxetine', strength: 'strong', rxcui: '32937' },
      },
    ]);
    // the recommendation uses the effective phenotype (score 0), not the genotype (2.0)
    expect(a.recommendation?.lookup).toEqual({ CYP2D6: '0' });
    expect(a.recommendation?.action).toBe('use-alternative');
    expect(a.verdict).toBe('expected-ineffective');
    const step = a.rationale.find((s) => s.kind === 'phenoconversion');
    expect(step?.data).toMatchObject({ genotypeLookupKey: '2.0', effectiveLookupKey: '0', inhibitor: 'paroxetine', strength: 'strong' });
    expect(step?.text).toMatch(/paroxetine is a strong CYP2D6 inhibitor/);
  });

  it('without the inhibitor the same patient gets standard codeine', () => {
    const a = assessDrug(drug('codeine'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [drug('apixaban')], kb);
    expect(a.verdict).toBe('appropriate');
    expect(a.effectivePhenotypes[0]?.cause).toBeUndefined();
  });

  it('a moderate CYP2D6 inhibitor halves the activity score (duloxetine: 2.0 → 1.0, intermediate)', () => {
    const a = assessDrug(drug('tramadol'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [drug('duloxetine')], kb);
    expect(a.effectivePhenotypes[0]).toMatchObject({ effectivePhenotype: 'Intermediate Metabolizer', cause: { strength: 'moderate' } });
    expect(a.recommendation?.lookup).toEqual({ CYP2D6: '1' });
    expect(a.recommendation?.action).toBe('monitor');
  });

  it('rounds a halved CYP2D6 score down to CPIC steps (1.25 × 0.5 → 0.5)', () => {
    const e = effectivePhenotype(
      { ...cyp2d6('1.25', 'Normal Metabolizer'), lookupKey: '1.25' },
      [drug('duloxetine')],
      kb,
    );
    expect(e).toMatchObject({ lookupKey: '0.5', effectivePhenotype: 'Intermediate Metabolizer' });
  });

  it('the strongest of several inhibitors wins', () => {
    const a = assessDrug(drug('codeine'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [drug('duloxetine'), drug('bupropion')], kb);
    expect(a.effectivePhenotypes[0]?.cause).toMatchObject({ drug: 'bupropion', strength: 'strong' });
  });

  it('a strong CYP2C19 inhibitor makes clopidogrel expected-ineffective in a normal metabolizer', () => {
    const a = assessDrug(
      drug('clopidogrel'),
      profile(result('CYP2C19', 'Normal Metabolizer', 'Normal Metabolizer')),
      [drug('fluconazole')],
      kb,
    );
    expect(a.effectivePhenotypes[0]).toMatchObject({ effectivePhenotype: 'Poor Metabolizer', cause: { drug: 'fluconazole' } });
    expect(a.verdict).toBe('expected-ineffective');
  });

  it('a moderate CYP2C9 inhibitor moves one step down (celecoxib: NM 2.0 → 1.0)', () => {
    const a = assessDrug(drug('celecoxib'), profile(result('CYP2C9', 'Normal Metabolizer', '2.0')), [drug('amiodarone')], kb);
    expect(a.effectivePhenotypes[0]).toMatchObject({ effectivePhenotype: 'Intermediate Metabolizer' });
    expect(a.recommendation?.lookup).toEqual({ CYP2C9: '1' });
    expect(a.verdict).toBe('adjust');
  });

  it("ignores the ordered drug's own inhibition (its CPIC row already accounts for it)", () => {
    const a = assessDrug(drug('paroxetine'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [drug('paroxetine')], kb);
    expect(a.effectivePhenotypes[0]?.cause).toBeUndefined();
    expect(a.verdict).toBe('appropriate');
  });

  it('inhibitors only act on their own gene', () => {
    const a = assessDrug(drug('clopidogrel'), profile(result('CYP2C19', 'Normal Metabolizer', 'Normal Metabolizer')), [drug('paroxetine')], kb);
    expect(a.verdict).toBe('appropriate');
  });
});

/**
 * The pieces assessDrug is made of, each on its own: reading the drug's genes, the keys after phenoconversion,
 * choosing the guidance, the verdict of a row, and the rationale steps that word them.
 */
import { chooseRecommendation } from '../../../src/pgx/choose-recommendation';
import { keyForDrug, readDrugGenes } from '../../../src/pgx/drug-genes';
import type { RecommendationRow } from '../../../src/pgx/drug-knowledge';
import { effectiveLookupKeys } from '../../../src/pgx/phenoconversion';
import { missingStep, resultSteps } from '../../../src/pgx/rationale';
import { VERDICT, verdictOf } from '../../../src/pgx/verdict';
import { cyp2c19, cyp2d6, drug, indeterminate, IM, kb, NM, PM, profile, result } from './fixtures';

const recsOf = (name: string) => kb.drugs.recommendations.get(name)!;
const hlaB = (keys: string[]) =>
  result('HLA-B', keys.map((k) => `HLA-B${k}`).join('; '), keys.find((k) => k.endsWith('positive')) ?? keys[0]!, { lookupKeys: keys });

describe('readDrugGenes', () => {
  it('sorts the drug genes into results with keys, missing and indeterminate', () => {
    const found = readDrugGenes(recsOf('sertraline'), profile(indeterminate('CYP2B6', 'unknown allele')));
    expect(found.genes.map((g) => g.gene)).toEqual(['CYP2B6']);
    expect(found.indeterminate.map((g) => g.gene)).toEqual(['CYP2B6']);
    expect(found.missingGenes).toEqual(['CYP2C19']);
    expect(found.notReported).toEqual([]);
    expect(found.chosenKey.size).toBe(0);
  });

  it("an HLA result without the drug's allele counts as missing, and says it was not reported", () => {
    const found = readDrugGenes(recsOf('oxcarbazepine'), profile(hlaB(['*57:01 negative'])));
    expect(found.missingGenes).toEqual(['HLA-B']);
    expect(found.notReported).toEqual(['HLA-B']);
  });

  it("keyForDrug picks the allele the drug's rows use", () => {
    const r = hlaB(['*57:01 positive', '*58:01 negative']);
    expect(keyForDrug(r, recsOf('allopurinol').keysByGene.get('HLA-B'))).toBe('*58:01 negative');
    expect(keyForDrug(r, recsOf('oxcarbazepine').keysByGene.get('HLA-B'))).toBeUndefined();
    expect(keyForDrug(cyp2c19(PM), recsOf('clopidogrel').keysByGene.get('CYP2C19'))).toBe(PM);
  });
});

describe('effectiveLookupKeys', () => {
  it('keys follow the inhibitor; genes without a key are left out', () => {
    const genes = [cyp2d6('2.0', NM), indeterminate('CYP2C19', 'x')];
    const { keys, effective } = effectiveLookupKeys(genes, new Map([['CYP2D6', '2.0']]), [drug('paroxetine')], kb, 'codeine');
    expect(keys).toEqual({ CYP2D6: '0' });
    expect(effective).toHaveLength(1);
    expect(effective[0]).toMatchObject({ effectivePhenotype: PM, genotypeLookupKey: '2.0', cause: { drug: 'paroxetine' } });
  });

  it("a moderate CYP2C9 inhibitor: the halved score's phenotype comes from CYP2C9's own score list", () => {
    const { effective } = effectiveLookupKeys([result('CYP2C9', NM, '2.0')], new Map([['CYP2C9', '2.0']]), [drug('fluconazole')], kb, 'celecoxib');
    // 2.0 × 0.5 = 1.0, which CPIC's CYP2C9 list calls intermediate
    expect(effective[0]).toMatchObject({ effectivePhenotype: IM, lookupKey: '1', cause: { strength: 'moderate' } });
  });
});

describe('chooseRecommendation', () => {
  const choose = (name: string, keys: Record<string, string>, p = profile()) => {
    const found = readDrugGenes(recsOf(name), p);
    return chooseRecommendation(name, keys, found, kb);
  };

  it('every gene known: the exact row', () => {
    const c = choose('clopidogrel', { CYP2C19: PM }, profile(cyp2c19(PM)));
    expect(c.kind).toBe('row');
    expect(c.kind === 'row' && c.row.action).toBe('use-alternative');
  });

  it('every gene known but no row for the combination: no-row', () => {
    expect(choose('clopidogrel', { CYP2C19: 'Unusual Metabolizer' }, profile(cyp2c19('Unusual Metabolizer'))).kind).toBe('no-row');
  });

  it("CPIC's own row for the gap (sertraline, CYP2B6 no result)", () => {
    const c = choose('sertraline', { CYP2C19: PM }, profile(cyp2c19(PM)));
    expect(c).toMatchObject({ kind: 'gap-row', gapGenes: ['CYP2B6'], lookup: { CYP2C19: PM, CYP2B6: 'No Result' } });
  });

  it('the same advice whatever the missing gene', () => {
    const p = profile(result('TPMT', PM, PM));
    expect(choose('azathioprine', { TPMT: PM }, p)).toMatchObject({ kind: 'same-whatever', unknownGenes: ['NUDT15'] });
  });

  it('a gap that matters: untested, with what the known gene alone supports (warfarin: FDA label range)', () => {
    const p = profile(result('CYP2C9', NM, '2.0', { diplotype: '*1/*1' }));
    const c = choose('warfarin', { CYP2C9: '2.0' }, p);
    expect(c.kind).toBe('gap');
    if (c.kind !== 'gap') return;
    expect(c.verdict).toBe('untested');
    expect(c.partial).toMatchObject({ known: ['CYP2C9'], missing: ['VKORC1'] });
  });

  it('only indeterminate results: indeterminate, no partial advice', () => {
    const c = choose('clopidogrel', {}, profile(indeterminate('CYP2C19', 'unknown allele')));
    expect(c).toEqual({ kind: 'gap', verdict: 'indeterminate' });
  });
});

describe('verdict of a row', () => {
  const row = (action: RecommendationRow['action'], indicator: RecommendationRow['indicator']) => ({ action, indicator }) as RecommendationRow;

  it('follows the action, except a monitor row classified info (standard dosing with monitoring)', () => {
    expect(verdictOf(row('avoid', 'critical'))).toBe('contraindicated');
    expect(verdictOf(row('monitor', 'warning'))).toBe('adjust');
    expect(verdictOf(row('monitor', 'info'))).toBe('appropriate');
    expect(VERDICT['use-alternative']).toBe('expected-ineffective');
  });
});

describe('rationale steps', () => {
  it('a result is worded observation → activity score → phenotype', () => {
    const steps = resultSteps(cyp2d6('1.0', IM));
    expect(steps.map((s) => s.kind)).toEqual(['observation', 'activity-score', 'phenotype']);
    expect(steps[2]!.text).toBe('CYP2D6 phenotype: Intermediate Metabolizer.');
  });

  it('a missing gene suggests the test; a result without the allele says so', () => {
    expect(missingStep('CYP2C19', 'clopidogrel', false, {}).text).toMatch(/^No CYP2C19 result on file/);
    const p = profile(hlaB(['*57:01 negative']));
    expect(missingStep('HLA-B', 'oxcarbazepine', true, p)).toMatchObject({
      text: expect.stringMatching(/does not report the allele/),
      data: { reportedKeys: ['*57:01 negative'] },
    });
  });
});

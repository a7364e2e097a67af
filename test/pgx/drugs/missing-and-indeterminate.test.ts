import { assessDrug } from '../../../src/pgx/assess-drug';
import { drug, indeterminate, kb, profile, result } from './fixtures';

describe('missing tests and indeterminate results', () => {
  it('a CPIC drug with no result for its gene is untested, with the gene to test — never "normal"', () => {
    const a = assessDrug(drug('clopidogrel'), profile(result('CYP2D6', 'Normal Metabolizer', '2.0')), [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['CYP2C19']);
    expect(a.recommendation).toBeUndefined();
    expect(a.rationale).toEqual([expect.objectContaining({ kind: 'missing', gene: 'CYP2C19' })]);
  });

  it('an empty profile leaves every paired gene missing', () => {
    const a = assessDrug(drug('warfarin'), {}, [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['CYP2C9', 'VKORC1']);
  });

  it('multi-gene drug with one gene missing is untested when the missing result could change the advice', () => {
    const a = assessDrug(drug('warfarin'), profile(result('CYP2C9', 'Normal Metabolizer', '2.0')), [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['VKORC1']);
    const b = assessDrug(drug('azathioprine'), profile(result('TPMT', 'Normal Metabolizer', 'Normal Metabolizer')), [], kb);
    expect(b.verdict).toBe('untested');
    expect(b.missingGenes).toEqual(['NUDT15']);
  });

  it('multi-gene drug with one gene missing still warns when every possible result gives the same advice', () => {
    // TPMT poor: CPIC advises against (non-malignant) use whatever NUDT15 is
    const a = assessDrug(drug('azathioprine'), profile(result('TPMT', 'Poor Metabolizer', 'Poor Metabolizer')), [], kb);
    expect(a.verdict).toBe('contraindicated');
    expect(a.missingGenes).toEqual(['NUDT15']);
    expect(a.rationale.some((s) => s.kind === 'missing' && s.gene === 'NUDT15')).toBe(true);
    // HLA-B*15:02 positive: carbamazepine is avoided whatever HLA-A*31:01 is
    const b = assessDrug(drug('carbamazepine'), profile(result('HLA-B', 'HLA-B*15:02 positive', '*15:02 positive')), [], kb);
    expect(b.verdict).toBe('contraindicated');
    expect(b.missingGenes).toEqual(['HLA-A']);
  });

  it('an indeterminate result gives verdict indeterminate with the reason', () => {
    const a = assessDrug(drug('codeine'), profile(indeterminate('CYP2D6', 'unknown allele *999')), [], kb);
    expect(a.verdict).toBe('indeterminate');
    expect(a.missingGenes).toEqual([]);
    expect(a.recommendation).toBeUndefined();
    const step = a.rationale.find((s) => s.kind === 'indeterminate');
    expect(step).toMatchObject({ gene: 'CYP2D6', data: { reason: 'unknown allele *999' } });
    expect(step?.text).toMatch(/unknown allele \*999/);
  });

  it('a determinate status without a lookup key is treated as indeterminate', () => {
    const r = { ...result('CYP2C19', 'Poor Metabolizer', 'x'), lookupKey: undefined };
    const a = assessDrug(drug('clopidogrel'), profile(r), [], kb);
    expect(a.verdict).toBe('indeterminate');
  });

  it('explains the evidence chain: observation, alleles, activity score, reclassification, phenotype', () => {
    const r = result('CYP2D6', 'Intermediate Metabolizer', '1.0', {
      diplotype: '*1/*4',
      alleles: [
        { name: '*1', function: 'Normal function', activityValue: '1.0' },
        { name: '*4', function: 'No function', activityValue: '0.0' },
      ],
      activityScore: '1.0',
      activityArithmetic: '*1 (1.0) + *4 (0.0) = 1.0',
      reportedPhenotype: 'Normal Metabolizer',
      reclassified: true,
    });
    const a = assessDrug(drug('codeine'), profile(r), [], kb);
    const kinds = a.rationale.map((s) => s.kind);
    expect(kinds).toEqual(['observation', 'allele', 'activity-score', 'reclassification', 'phenotype', 'recommendation']);
    expect(a.rationale[2]?.text).toContain('*1 (1.0) + *4 (0.0) = 1.0');
    expect(a.rationale[5]?.data).toMatchObject({ cpicVersion: 'v1.30.0', lookup: { CYP2D6: '1.0' } }); // codeine: the guideline's own vintage
    expect(a.knowledgeVersion).toBe('test-knowledge');
  });
});

describe('results reported per allele (HLA)', () => {
  const hlaB = (keys: string[]) =>
    result('HLA-B', keys.map((k) => `HLA-B${k}`).join('; '), keys.find((k) => k.endsWith('positive')) ?? keys[0]!, { lookupKeys: keys });

  it("picks the allele the drug's guideline asks about", () => {
    const p = profile(hlaB(['*57:01 positive', '*58:01 negative', '*15:02 negative']));
    expect(assessDrug(drug('abacavir'), p, [], kb).verdict).toBe('contraindicated');
    expect(assessDrug(drug('allopurinol'), p, [], kb).verdict).toBe('appropriate');
    expect(assessDrug(drug('oxcarbazepine'), p, [], kb).verdict).toBe('appropriate');
  });

  it('a result that does not report the relevant allele leaves the gene untested for that drug', () => {
    const a = assessDrug(drug('oxcarbazepine'), profile(hlaB(['*57:01 negative'])), [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['HLA-B']);
    expect(a.rationale.find((s) => s.kind === 'missing')?.text).toMatch(/does not report the allele/);
  });
});

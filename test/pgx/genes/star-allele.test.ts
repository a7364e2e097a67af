import path from 'node:path';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { normaliseToken, parseDiplotype } from '../../../src/pgx/star-allele';
import { interpretAlleles } from '../../../src/pgx/phenotype';

const kb = loadGeneKnowledge(path.resolve(__dirname, '../../../terminology'));
const gene = (g: string) => kb.genes.get(g)!;
const interpret = (g: string, text: string) => {
  const p = parseDiplotype(text, gene(g));
  if (!p.ok) return { status: 'malformed', reason: p.reason } as const;
  return interpretAlleles(gene(g), p.tokens);
};

describe('diplotype strings', () => {
  it.each(['*1/*2', 'CYP2C19 *1/*2', 'CYP2C19*1/*2', 'CYP2C19*1/CYP2C19*2', 'cyp2c19 *1/*2', ' *1 / *2 ', '*2/*1'])('%s → *1/*2 Intermediate', (text) => {
    const r = interpret('CYP2C19', text);
    expect(r).toMatchObject({ status: 'determinate', diplotype: '*1/*2', phenotype: 'Intermediate Metabolizer', lookupKey: 'Intermediate Metabolizer' });
  });

  it.each([
    ['*1/*', /malformed/],
    ['**2', /malformed/],
    ['*1//*2', /empty allele/],
    ['*1/*2/*3', /more than two/],
    ['', /empty/],
    ['*1', /two alleles/],
  ])('malformed %j → rejected with a reason', (text, reason) => {
    const r = interpret('CYP2C19', text);
    if (r.status === 'malformed') expect(r.reason).toMatch(reason);
    else {
      expect(r.status).toBe('indeterminate');
      expect(r.reason).toMatch(reason);
    }
  });

  it('unknown allele *999 → indeterminate, never normal', () => {
    const r = interpret('CYP2C19', '*1/*999');
    expect(r).toMatchObject({ status: 'indeterminate', phenotype: 'Indeterminate' });
    expect(r.reason).toMatch(/\*999 is not in CPIC's CYP2C19 allele table/);
    expect((r as { lookupKey?: string }).lookupKey).toBeUndefined();
  });

  it('symmetry: every CYP2C19 allele pair gives the same answer in either order', () => {
    const names = Object.keys(gene('CYP2C19').alleles);
    for (const a of names) for (const b of names) expect(interpret('CYP2C19', `${b}/${a}`)).toEqual(interpret('CYP2C19', `${a}/${b}`));
  });

  it('normalises hybrid and copy-number spelling', () => {
    expect(normaliseToken('*36+*10')).toBe('*36 + *10');
    expect(normaliseToken('*36 +*10')).toBe('*36 + *10');
    expect(normaliseToken('*2XN')).toBe('*2xN');
    expect(normaliseToken('*1x>=3')).toBe('*1x≥3');
    expect(normaliseToken('*2×2')).toBe('*2x2');
  });
});

describe('CYP2D6 activity score', () => {
  it('*1/*41: arithmetic shown, score 1.25 Normal (CPIC: *41 = 0.25)', () => {
    expect(interpret('CYP2D6', 'CYP2D6 *1/*41')).toMatchObject({
      status: 'determinate',
      activityScore: '1.25',
      activityArithmetic: '*1 (1.0) + *41 (0.25) = 1.25',
      phenotype: 'Normal Metabolizer',
      lookupKey: '1.25',
      alleles: [
        { name: '*1', activityValue: '1.0' },
        { name: '*41', activityValue: '0.25' },
      ],
    });
  });

  it.each([
    ['*1/*2x2', '3.0', 'Ultrarapid Metabolizer'],
    ['*1x2/*4', '2.0', 'Normal Metabolizer'],
    ['*4/*10x2', '0.5', 'Intermediate Metabolizer'],
    ['*36+*10/*4', '0.25', 'Intermediate Metabolizer'],
    ['*36 + *10/*10', '0.5', 'Intermediate Metabolizer'],
    ['*4/*4', '0.0', 'Poor Metabolizer'],
    ['*5/*41x3', '0.75', 'Intermediate Metabolizer'],
    ['*1/*2x≥3', '≥4.0', 'Ultrarapid Metabolizer'],
    ['*4/*4xN', '0.0', 'Poor Metabolizer'],
  ])('%s → %s %s', (text, score, phenotype) => {
    expect(interpret('CYP2D6', text)).toMatchObject({ status: 'determinate', activityScore: score, lookupKey: score, phenotype });
  });

  it('*1/*2xN: every copy number is ultrarapid → "≥3.0"', () => {
    expect(interpret('CYP2D6', '*1/*2xN')).toMatchObject({ status: 'determinate', phenotype: 'Ultrarapid Metabolizer', lookupKey: '≥3.0' });
  });

  it('*2xN/*4: 2 copies = Normal, ≥3 = Ultrarapid → indeterminate with both possibilities', () => {
    const r = interpret('CYP2D6', '*2xN/*4');
    expect(r.status).toBe('indeterminate');
    expect(r.reason).toMatch(/2\.0 \(Normal Metabolizer\).*≥3\.0 \(Ultrarapid Metabolizer\)/);
  });

  it.each([
    // the lab's spelling of the copy number is kept in the diplotype shown (table order, listed alleles first)
    ['*1x3/*41', '≥3.25', 'Ultrarapid Metabolizer', /\*1x3 read as CPIC's \*1x≥3 entry/, '*41/*1x3'],
    ['*1/*1x4', '≥4.0', 'Ultrarapid Metabolizer', /\*1x4 read as CPIC's \*1x≥3 entry/, '*1/*1x4'],
    ['*4x3/*1', '1.0', 'Intermediate Metabolizer', /\*4x3 read as CPIC's \*4x≥3 entry/, '*1/*4x3'],
  ])('%s: an exact count of three or more copies is CPIC\'s "x≥3" entry → %s %s', (text, score, phenotype, why, shown) => {
    const r = interpret('CYP2D6', text);
    expect(r).toMatchObject({ status: 'determinate', activityScore: score, lookupKey: score, phenotype, diplotype: shown });
    expect(r.reason).toMatch(why);
  });

  it('*10x5 (copy number CPIC does not list) → indeterminate', () => {
    expect(interpret('CYP2D6', '*1/*10x5').status).toBe('indeterminate');
  });

  it('older cut-off boundary: score 1.0 is Intermediate under current CPIC', () => {
    expect(interpret('CYP2D6', '*1/*4')).toMatchObject({ phenotype: 'Intermediate Metabolizer', lookupKey: '1.0' });
  });
});

describe('other CPIC methods', () => {
  it('CYP2C9 activity score', () => {
    expect(interpret('CYP2C9', 'CYP2C9 *1/*3')).toMatchObject({ activityScore: '1.0', lookupKey: '1.0', phenotype: 'Intermediate Metabolizer' });
    expect(interpret('CYP2C9', '*2/*3')).toMatchObject({ activityScore: '0.5', lookupKey: '0.5', phenotype: 'Poor Metabolizer' });
  });

  it('DPYD variant combinations and legacy names', () => {
    expect(interpret('DPYD', 'c.1905+1G>A/c.2846A>T')).toMatchObject({ activityScore: '0.5', lookupKey: '0.5', phenotype: 'Poor Metabolizer' });
    expect(interpret('DPYD', 'Reference/*2A')).toMatchObject({ activityScore: '1.0', phenotype: 'Intermediate Metabolizer' });
    // HapB3 named by its tag variant
    expect(interpret('DPYD', 'Reference/c.1236G>A')).toMatchObject({ diplotype: 'Reference/c.1129-5923C>G, c.1236G>A (HapB3)', activityScore: '1.5' });
    // three unphased variants: CPIC scores the two lowest
    const r = interpretAlleles(gene('DPYD'), ['c.2846A>T', 'c.1905+1G>A', 'c.1129-5923C>G']);
    expect(r).toMatchObject({ activityScore: '0.5', phenotype: 'Poor Metabolizer' }); // 0.0 + 0.5; the second 0.5 is ignored
    expect(r.reason).toMatch(/two lowest/);
  });

  it('single-variant genes by rsID genotype', () => {
    expect(interpret('VKORC1', 'rs9923231 C/T')).toMatchObject({ lookupKey: '-1639 AG' });
    expect(interpret('VKORC1', 'rs9923231 TT')).toMatchObject({ lookupKey: '-1639 AA' });
    expect(interpret('VKORC1', '-1639 GG')).toMatchObject({ lookupKey: '-1639 GG' });
    expect(interpret('CYP4F2', 'rs2108622 C/T')).toMatchObject({ diplotype: '*1/*3', lookupKey: '*3 carrier' });
    expect(interpret('IFNL3', 'rs12979860 C/T')).toMatchObject({ lookupKey: 'Unfavorable response genotype' });
    expect(interpret('ABCG2', 'rs2231142 G/T')).toMatchObject({ lookupKey: 'Decreased Function' });
    expect(interpret('VKORC1', 'rs9923231 C/G').status).toBe('malformed');
  });

  it('HLA-B typed alleles → positive/negative keys for each CPIC allele', () => {
    expect(interpret('HLA-B', 'HLA-B*57:01:01/HLA-B*08:01')).toMatchObject({
      lookupKey: '*57:01 positive',
      lookupKeys: ['*57:01 positive', '*58:01 negative', '*15:02 negative'],
    });
    expect(interpret('HLA-A', '*31:01/*02:01')).toMatchObject({ lookupKey: '*31:01 positive' });
  });

  it('MT-RNR1 single allele; G6PD hemizygous and heterozygous', () => {
    expect(interpret('MT-RNR1', 'm.1555A>G')).toMatchObject({ lookupKey: 'increased risk of aminoglycoside-induced hearing loss' });
    expect(interpret('G6PD', 'A- 202A_376G')).toMatchObject({ lookupKey: 'Deficient' });
    expect(interpret('G6PD', 'B (reference)/A- 202A_376G')).toMatchObject({ lookupKey: 'Variable' });
    expect(interpret('G6PD', 'Mediterranean')).toMatchObject({ lookupKey: 'Deficient' });
    expect(interpret('G6PD', 'Nowhere-variant').status).toBe('indeterminate');
    // CPIC names containing "/" and synonyms
    expect(interpret('G6PD', 'Telti/Kobe')).toMatchObject({ lookupKey: 'Deficient with CNSHA' });
    expect(interpret('G6PD', 'Telti/Kobe/B (reference)')).toMatchObject({ lookupKey: 'Variable' });
    expect(interpret('G6PD', 'Mahidol/Viangchan')).toMatchObject({ lookupKey: 'Deficient' });
    expect(interpret('G6PD', 'B (reference)/Dagua').status).toBe('indeterminate');
  });

  it('RYR1: MH-associated variant → susceptibility', () => {
    expect(interpret('RYR1', 'Reference/c.7300G>A')).toMatchObject({ lookupKey: 'Malignant Hyperthermia Susceptibility' });
  });
});

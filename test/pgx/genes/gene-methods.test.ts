/**
 * The gene methods as units: every gene table names a registered method, the one score → phenotype function reads
 * the table's cut-offs, and the gene-specific rules (DPYD's two lowest variants, VKORC1's legacy spelling) are
 * chosen by the table's data, not by the gene's name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import type { IndexedGene } from '../../../src/pgx/gene-knowledge';
import { GENE_METHODS, methodOf } from '../../../src/pgx/methods';
import { phenotypeForScore, scoredPhenotype } from '../../../src/pgx/methods/activity-score';
import { carrierFromAlleles } from '../../../src/pgx/methods/carrier';
import { dpydMethod, twoLowest } from '../../../src/pgx/methods/dpyd';
import { interpretReportedPhenotype } from '../../../src/pgx/phenotype';
import { parseDiplotype } from '../../../src/pgx/star-allele';

const TERMINOLOGY = path.resolve(__dirname, '../../../terminology');
const kb = loadGeneKnowledge(TERMINOLOGY);
const gene = (g: string): IndexedGene => kb.genes.get(g)!;
const score = (value: number, atLeast = false) => ({ value, atLeast });

describe('gene method registry', () => {
  it('every gene table names a registered method', () => {
    for (const g of kb.genes.values()) expect(GENE_METHODS[g.method]).toBeDefined();
  });

  it('DPYD is chosen by its table, as the lowest-two method', () => {
    expect(gene('DPYD').method).toBe('dpyd-lowest-two');
    expect(methodOf(gene('DPYD'))).toBe(dpydMethod);
  });

  it('a gene table naming an unknown method stops loading', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genes-'));
    try {
      fs.mkdirSync(path.join(dir, 'genes'));
      fs.writeFileSync(path.join(dir, 'genes/index.json'), JSON.stringify({ version: 'v', source: 's', generated: 'd', genes: ['TPMT'] }));
      const table = JSON.parse(fs.readFileSync(path.join(TERMINOLOGY, 'genes/TPMT.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'genes/TPMT.json'), JSON.stringify({ ...table, method: 'tpmt-special' }));
      expect(() => loadGeneKnowledge(dir)).toThrow(/no gene method "tpmt-special"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('phenotypeForScore: the gene table is the only source of cut-offs', () => {
  it('CYP2D6 ranges: 0 poor, 0.25–1 intermediate, 1.25–2.25 normal, above ultrarapid', () => {
    expect(phenotypeForScore(gene('CYP2D6'), score(0))).toEqual({ phenotype: 'Poor Metabolizer', lookupKey: '0.0' });
    expect(phenotypeForScore(gene('CYP2D6'), score(1))).toEqual({ phenotype: 'Intermediate Metabolizer', lookupKey: '1.0' });
    expect(phenotypeForScore(gene('CYP2D6'), score(1.25))).toEqual({ phenotype: 'Normal Metabolizer', lookupKey: '1.25' });
    expect(phenotypeForScore(gene('CYP2D6'), score(3, true))).toEqual({ phenotype: 'Ultrarapid Metabolizer', lookupKey: '≥3.0' });
  });

  it('a "≥" score inside a bounded band is not a phenotype', () => {
    expect(phenotypeForScore(gene('CYP2D6'), score(1, true))).toBeUndefined();
  });

  it("CYP2C9: CPIC's score list", () => {
    expect(phenotypeForScore(gene('CYP2C9'), score(0.5))?.phenotype).toBe('Poor Metabolizer');
    expect(phenotypeForScore(gene('CYP2C9'), score(1.5))?.phenotype).toBe('Intermediate Metabolizer');
    expect(phenotypeForScore(gene('CYP2C9'), score(0.25))).toBeUndefined();
  });

  it('the inhibitor table refers to the gene tables instead of restating cut-offs', () => {
    const inhibitors = JSON.parse(fs.readFileSync(path.join(TERMINOLOGY, 'inhibitors.json'), 'utf8')) as {
      genes: Record<string, { method: string; phenotypesFrom?: string; phenotypes?: unknown }>;
    };
    const scored = Object.entries(inhibitors.genes).filter(([, m]) => m.method === 'activity-score');
    expect(scored.length).toBeGreaterThan(0);
    for (const [g, m] of scored) {
      expect(m.phenotypes).toBeUndefined();
      expect(m.phenotypesFrom).toBe(`genes/${g}.json`);
      const table = gene(g);
      expect(table.scoreRules ?? table.scoreRanges).toBeDefined();
    }
  });
});

describe('reported phenotypes', () => {
  it('score-based methods read the score', () => {
    expect(scoredPhenotype(gene('CYP2D6'), 'Normal Metabolizer (activity score 1.5)')).toMatchObject({
      status: 'determinate',
      phenotype: 'Normal Metabolizer',
      lookupKey: '1.5',
      activityScore: '1.5',
    });
    expect(scoredPhenotype(gene('CYP2D6'), 'Normal Metabolizer').status).toBe('indeterminate');
  });

  it('DPYD reads the score too; term genes map the term', () => {
    expect(interpretReportedPhenotype(gene('DPYD'), 'Intermediate Metabolizer, activity score 1.0')).toMatchObject({ lookupKey: '1.0' });
    expect(interpretReportedPhenotype(gene('CYP2C19'), 'CYP2C19 Poor Metaboliser')).toMatchObject({ lookupKey: 'Poor Metabolizer' });
    expect(interpretReportedPhenotype(gene('CYP2C19'), 'Odd Metabolizer').reason).toMatch(/does not map to a CPIC CYP2C19 term/);
  });
});

describe('DPYD: two lowest-function variants', () => {
  const activity = (v: number) => ({ activity: { value: v, atLeast: false } });

  it('twoLowest keeps the two smallest activity values', () => {
    expect(twoLowest([activity(1), activity(0), activity(0.5)]).map((c) => c.activity.value)).toEqual([0, 0.5]);
  });

  it('one variant found is scored against the reference; none found is reference/reference', () => {
    const dpyd = gene('DPYD');
    const one = dpydMethod.interpret(dpyd, ['c.1905+1G>A (*2A)']);
    expect(one).toMatchObject({ status: 'determinate', activityScore: '1.0' });
    expect(dpydMethod.fromVariants!(dpyd, [])).toEqual([dpyd.referenceAllele, dpyd.referenceAllele]);
    expect(dpydMethod.fromVariants!(dpyd, [{ id: 'x', homozygous: true }])).toEqual(['x', 'x']);
  });

  it('three variants: the two lowest are scored, and the reason says so', () => {
    const r = dpydMethod.interpret(gene('DPYD'), ['c.1905+1G>A (*2A)', 'c.2846A>T', 'c.1129-5923C>G, c.1236G>A (HapB3)']);
    expect(r.reason).toMatch(/two lowest-function variants/);
    expect(r.status).toBe('determinate');
  });
});

describe('single-variant legacy spelling (table data)', () => {
  it('VKORC1 "-1639 G/A" is read as rs9923231 C/T because its table names the legacy position', () => {
    const vk = gene('VKORC1');
    expect(vk.variant?.legacyPosition).toBe('-1639');
    expect(parseDiplotype('-1639 G/A', vk)).toEqual(parseDiplotype('rs9923231 C/T', vk));
    expect(parseDiplotype('-1639AA', vk)).toEqual(parseDiplotype('TT', vk));
  });

  it('without legacyPosition the same text is not a genotype of the variant', () => {
    const vk = gene('VKORC1');
    const plain: IndexedGene = { ...vk, variant: { ...vk.variant!, legacyPosition: undefined } };
    expect(parseDiplotype('-1639 G/A', plain)).not.toEqual(parseDiplotype('rs9923231 C/T', vk));
  });
});

describe('carrier (HLA)', () => {
  it('typed alleles → carriage of each CPIC allele, positive first', () => {
    const r = carrierFromAlleles(gene('HLA-B'), ['*57:01:01', '*07:02']);
    expect(r.lookupKeys).toEqual(['*57:01 positive', '*58:01 negative', '*15:02 negative']);
    expect(r.lookupKey).toBe('*57:01 positive');
  });
});

/**
 * Whatever a lab sends, the parser never throws, and a determinate answer always carries a lookup key that
 * CPIC's tables for the gene can produce (no invented or default phenotype).
 */
import path from 'node:path';
import fc from 'fast-check';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { parseDiplotype } from '../../../src/pgx/star-allele';
import { interpretAlleles } from '../../../src/pgx/phenotype';

const kb = loadGeneKnowledge(path.resolve(__dirname, '../../../terminology'));

const keysOf = (g: string): Set<string> => {
  const gene = kb.genes.get(g)!;
  return new Set(
    [...Object.values(gene.pairRules ?? {}), ...Object.values(gene.scoreRules ?? {}), ...Object.values(gene.singleRules ?? {})]
      .map((r) => r.lookupKey)
      .filter((k): k is string => !!k),
  );
};

describe('diplotype parsing is total and never invents a phenotype', () => {
  const genes = ['CYP2C19', 'TPMT', 'CYP2C9', 'DPYD', 'SLCO1B1'];
  const alleleLike = fc.oneof(
    fc.constantFrom('*1', '*2', '*3A', '*17', '*999', '*', '**2', '*1x2', '*2xN', 'Reference', 'c.2846A>T', ''),
    fc.string({ maxLength: 8 }),
  );
  it.each(genes)('%s', (g) => {
    const gene = kb.genes.get(g)!;
    const keys = keysOf(g);
    fc.assert(
      fc.property(alleleLike, fc.constantFrom('/', '//', ' / ', '|'), alleleLike, (a, sep, b) => {
        const parsed = parseDiplotype(`${a}${sep}${b}`, gene);
        if (!parsed.ok) return typeof parsed.reason === 'string' && parsed.reason.length > 0;
        const r = interpretAlleles(gene, parsed.tokens);
        if (r.status === 'indeterminate') return r.lookupKey === undefined && !!r.reason;
        return keys.has(r.lookupKey!);
      }),
      { numRuns: 400 },
    );
  });
});

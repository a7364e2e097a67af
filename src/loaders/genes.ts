/**
 * Load the CPIC gene tables (terminology/genes/) once at start-up: the only file I/O of the gene half of
 * the PGx engine. `dir` is the terminology/ directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GENE_METHODS } from '../pgx/methods';
import { indexGeneKnowledge, type GeneKnowledge, type RawGeneTable, type RawGeneTables } from '../pgx/gene-knowledge';

export function loadGeneKnowledge(dir: string): GeneKnowledge {
  const genesDir = path.join(dir, 'genes');
  const index = JSON.parse(fs.readFileSync(path.join(genesDir, 'index.json'), 'utf8')) as Omit<RawGeneTables, 'genes'> & {
    genes: string[];
  };
  const genes = index.genes.map((g) => {
    const table = JSON.parse(fs.readFileSync(path.join(genesDir, `${g}.json`), 'utf8')) as RawGeneTable;
    if (table.gene !== g) throw new Error(`terminology/genes/${g}.json holds ${table.gene}`);
    if (!Object.hasOwn(GENE_METHODS, table.method)) throw new Error(`terminology/genes/${g}.json: no gene method "${table.method}"`);
    return table;
  });
  return indexGeneKnowledge({ version: index.version, source: index.source, generated: index.generated, genes });
}

/** X-linked (G6PD): one allele in hemizygous males (read alone), two in females (read as a function pair). */
import type { GeneMethodModule } from './method';
import { functionPair } from './function-pair';
import { singleAllele } from './single-allele';

export const xLinkedMethod: GeneMethodModule = {
  interpret: (gene, tokens) => (tokens.length === 1 ? singleAllele(gene, tokens) : functionPair(gene, tokens)),
  oneAlleleIsComplete: true,
};

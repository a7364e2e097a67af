/** Carriage of named alleles, each positive or negative (HLA-A, HLA-B): one lookup key per CPIC allele. */
import type { IndexedGene } from '../gene-knowledge';
import { indeterminate, type Interpretation } from '../interpretation';
import type { GeneMethodModule } from './method';

/** Typed alleles → which CPIC alleles they carry (two-field match: "*57:01:01" carries "*57:01"). */
export function carrierFromAlleles(gene: IndexedGene, tokens: string[]): Interpretation {
  const fields = tokens.map((t) => /^\*?(\d{2,3}:\d{2,3})/.exec(t.replace(/^HLA-[A-Z]+/i, ''))?.[1]);
  if (fields.some((f) => !f)) return indeterminate(`unrecognised ${gene.gene} allele in ${tokens.join('/')}`);
  const present = new Set(fields.map((f) => `*${f}`));
  return carrierResult(gene, (gene.carrierAlleles ?? []).map((a) => ({ allele: a, positive: present.has(a) })), tokens.map((t) => `*${t.replace(/^\*/, '')}`));
}

export function carrierResult(gene: IndexedGene, calls: { allele: string; positive: boolean }[], diplotype?: string[]): Interpretation {
  if (calls.length === 0) return indeterminate(`no result for a CPIC ${gene.gene} allele`);
  const keys = calls.map((c) => `${c.allele} ${c.positive ? 'positive' : 'negative'}`);
  return {
    status: 'determinate',
    ...(diplotype ? { diplotype: diplotype.join('/') } : {}),
    alleles: calls.filter((c) => c.positive).map((c) => ({ name: `${c.allele} positive`, function: 'carrier' })),
    phenotype: keys.map((k) => `${gene.gene}${k}`).join('; '),
    // a positive call is what changes prescribing: lead with it
    lookupKey: keys.find((k) => k.endsWith('positive')) ?? keys[0]!,
    lookupKeys: keys,
  };
}

export const carrierMethod: GeneMethodModule = { interpret: carrierFromAlleles, perAllele: true };

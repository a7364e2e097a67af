/**
 * The drug's genes in the patient's profile: which have a result, which are missing or cannot be interpreted,
 * and the lookup key each usable result gives for this drug's rows.
 */
import { normaliseLookupKey, type DrugRecommendations } from './drug-knowledge';
import type { GeneResult, GenomicProfile } from './types';

export interface DrugGenes {
  /** results on file for the drug's genes, in the drug's gene order */
  genes: GeneResult[];
  /** genes with no result, or whose result does not report the allele the drug's rows use */
  missingGenes: string[];
  /** of `missingGenes`: a result is on file but does not report that allele */
  notReported: string[];
  /** results on file that cannot be interpreted */
  indeterminate: GeneResult[];
  /** gene → the lookup key its result gives for this drug */
  chosenKey: Map<string, string>;
}

const CARRIER_KEY = /^\*\d{2,3}:\d{2,3} (positive|negative)$/i;

/**
 * The key of a result that this drug's rows use. Genes reported per allele (HLA) answer several keys;
 * the one the drug's guideline asks about is chosen, and if the result does not report that allele the
 * gene counts as untested for this drug (undefined).
 */
export function keyForDrug(r: GeneResult, available: Set<string> | undefined): string | undefined {
  const keys = r.lookupKeys?.length ? r.lookupKeys : [r.lookupKey as string];
  const hit = keys.find((k) => available?.has(normaliseLookupKey(r.gene, k)));
  if (hit) return hit;
  return keys.every((k) => CARRIER_KEY.test(normaliseLookupKey(r.gene, k))) ? undefined : (r.lookupKey as string);
}

export function readDrugGenes(recs: DrugRecommendations, profile: GenomicProfile): DrugGenes {
  const out: DrugGenes = { genes: [], missingGenes: [], notReported: [], indeterminate: [], chosenKey: new Map() };
  for (const gene of recs.genes) {
    const r = profile[gene];
    if (!r) {
      out.missingGenes.push(gene);
      continue;
    }
    out.genes.push(r);
    if (r.status !== 'determinate' || !r.lookupKey) {
      out.indeterminate.push(r);
      continue;
    }
    const key = keyForDrug(r, recs.keysByGene.get(gene));
    if (key === undefined) {
      // e.g. an HLA-B result that reports *57:01 only, for carbamazepine (*15:02): that allele is untested
      out.missingGenes.push(gene);
      out.notReported.push(gene);
    } else out.chosenKey.set(gene, key);
  }
  return out;
}

/**
 * CPIC gene knowledge: the compact per-gene tables from terminology/genes/, indexed once at start-up.
 * The tables hold the facts (allele → function / activity value, function pair or activity score →
 * phenotype + CPIC lookup key); the modules in src/pgx/methods/ hold the methods. Pure: no I/O here.
 */

import { formatActivity } from './activity-score';
import type { Interpretation } from './interpretation';

/** How CPIC turns a genotype into a phenotype for this gene: names a module in src/pgx/methods/. */
export type GeneMethod =
  /** two alleles → their two functions → phenotype (CYP2C19, TPMT, SLCO1B1, VKORC1, CACNA1S...) */
  | 'function-pair'
  /** two alleles → sum of activity values → phenotype (CYP2D6, CYP2C9) */
  | 'activity-score'
  /** activity score of an unphased variant list from its two lowest-function variants (DPYD) */
  | 'dpyd-lowest-two'
  /** one allele (mitochondrial: MT-RNR1) */
  | 'single-allele'
  /** X-linked: one allele in hemizygous males, two in females (G6PD) */
  | 'x-linked'
  /** carriage of named alleles, each positive/negative (HLA-A, HLA-B) */
  | 'carrier';

export interface RawAllele {
  /** CPIC clinical function ("No function", "Decreased function", "IV/Normal"...) */
  function?: string;
  /** CPIC activity value, as published ("0.25", "≥3.0", "n/a") */
  activityValue?: string;
}

export interface RawPhenotype {
  phenotype: string;
  /** CPIC lookupkey; absent when CPIC's answer is Indeterminate */
  lookupKey?: string;
}

/** One gene's compact table, exactly as committed in terminology/genes/<GENE>.json. */
export interface RawGeneTable {
  gene: string;
  /** HGNC id, e.g. "HGNC:2621" */
  hgnc: string;
  version: string;
  source: string;
  method: GeneMethod;
  /** the allele that stands for "no variant found" (e.g. "*1", "Reference") */
  referenceAllele?: string;
  alleles: Record<string, RawAllele>;
  /** function-pair: "fnA|fnB" (sorted) → phenotype */
  pairRules?: Record<string, RawPhenotype>;
  /** activity-score genes with CPIC's score list: score string → phenotype */
  scoreRules?: Record<string, RawPhenotype>;
  /** activity-score cut-offs (CYP2D6): inclusive min, inclusive max (null = no upper bound) */
  scoreRanges?: { min: number; max: number | null; phenotype: string }[];
  /** single-allele / hemizygous: function → phenotype */
  singleRules?: Record<string, RawPhenotype>;
  /** carrier genes: the CPIC-relevant alleles, e.g. ["*57:01", "*58:01", "*15:02"] */
  carrierAlleles?: string[];
  /**
   * single-variant genes: the rsID and its reference/variant bases, mapped to allele names; `legacyPosition`: the
   * variant is also written by that position on the opposite strand, with the complementary bases (VKORC1 "-1639 G/A")
   */
  variant?: { rsid: string; ref: string; alt: string; refAllele?: string; altAllele?: string; legacyPosition?: string };
  /** how the table was derived: corrections, sources beyond the main one */
  provenance?: string[];
}

export interface RawGeneTables {
  version: string;
  source: string;
  generated: string;
  genes: RawGeneTable[];
}

/** A gene's table with lookups made O(1). */
export interface IndexedGene extends RawGeneTable {
  /** normalised allele alias (lower case, no spaces) → CPIC allele name */
  aliases: Map<string, string>;
  /** CPIC phenotype terms this gene can yield, lower case → { phenotype, lookupKey } */
  phenotypeTerms: Map<string, RawPhenotype>;
  /** allele name → position in CPIC's table (diplotypes are written in this order) */
  order: Map<string, number>;
  /**
   * Genotype text → its interpretation, filled as patients' results are read (src/pgx/genomic-profile.ts). It
   * belongs to the table it was computed from, so a reloaded table starts empty.
   */
  interpretations: Map<string, Interpretation>;
}

export interface GeneKnowledge {
  version: string;
  source?: string;
  /** gene symbol → indexed table */
  genes: Map<string, IndexedGene>;
  /** "HGNC:2621" → "CYP2C19" */
  byHgnc: Map<string, string>;
  /** rsID (lower case) → gene symbol, for variant observations */
  byRsid: Map<string, string>;
}

/** Normalised form used for alias lookups: lower case, no whitespace. */
export function aliasKey(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

function aliasesFor(gene: RawGeneTable): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const name of Object.keys(gene.alleles)) {
    aliases.set(aliasKey(name), name);
    // DPYD names carry the legacy star name in brackets: "c.1905+1G>A (*2A)" is also "c.1905+1G>A" and "*2A"
    const bracket = /^(.*?)\s*\(([^)]+)\)$/.exec(name);
    if (bracket) {
      // "c.1129-5923C>G, c.1236G>A (HapB3)": either tag variant names the haplotype too
      for (const part of [bracket[1]!, bracket[2]!, ...bracket[1]!.split(',')]) {
        const key = aliasKey(part);
        if (key && !aliases.has(key) && !gene.alleles[part.trim()]) aliases.set(key, name);
      }
    }
    // G6PD names list synonyms: "Mediterranean, Dallas, Panama" → each is an alias
    if (gene.method === 'x-linked' && name.includes(',')) {
      for (const part of name.split(',')) {
        const key = aliasKey(part);
        if (key && !aliases.has(key)) aliases.set(key, name);
      }
    }
  }
  return aliases;
}

function termsFor(gene: RawGeneTable): Map<string, RawPhenotype> {
  const terms = new Map<string, RawPhenotype>();
  const add = (p: RawPhenotype): void => {
    if (p.lookupKey === undefined) return;
    const key = p.phenotype.toLowerCase();
    const seen = terms.get(key);
    // a term that maps to several lookup keys (activity-score genes) is ambiguous: keep it out
    if (seen && seen.lookupKey !== p.lookupKey) terms.set(key, { phenotype: p.phenotype });
    else terms.set(key, p);
  };
  for (const p of Object.values(gene.pairRules ?? {})) add(p);
  for (const p of Object.values(gene.scoreRules ?? {})) add(p);
  for (const p of Object.values(gene.singleRules ?? {})) add(p);
  // a cut-off band that is a single score (CYP2D6 Poor = 0.0) still names its key; wider bands do not
  for (const r of gene.scoreRanges ?? []) {
    terms.set(r.phenotype.toLowerCase(), r.max === r.min ? { phenotype: r.phenotype, lookupKey: formatActivity({ value: r.min, atLeast: false }) } : { phenotype: r.phenotype });
  }
  return terms;
}

/** Index the raw tables for O(1) lookups, with an empty interpretation cache per gene. Pure. */
export function indexGeneKnowledge(raw: RawGeneTables): GeneKnowledge {
  const genes = new Map<string, IndexedGene>();
  const byHgnc = new Map<string, string>();
  const byRsid = new Map<string, string>();
  for (const table of raw.genes) {
    const order = new Map(Object.keys(table.alleles).map((name, i) => [name, i]));
    genes.set(table.gene, { ...table, aliases: aliasesFor(table), phenotypeTerms: termsFor(table), order, interpretations: new Map() });
    byHgnc.set(table.hgnc.toUpperCase(), table.gene);
    if (table.variant) byRsid.set(table.variant.rsid.toLowerCase(), table.gene);
  }
  return { version: raw.version, source: raw.source, genes, byHgnc, byRsid };
}

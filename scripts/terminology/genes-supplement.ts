/**
 * Gene knowledge that is not in the shared CPIC snapshot (or needs checking against CPIC's primary
 * source), written down with where each fact comes from. Consumed only by build-genes.ts.
 */
import type { GeneMethod, RawGeneTable } from '../../src/pgx/gene-knowledge';
import { G6PD_FUNCTIONS, G6PD_SOURCE } from './genes-g6pd';

/** HGNC ids (https://www.genenames.org) for every gene we interpret. */
export const HGNC: Record<string, string> = {
  ABCG2: 'HGNC:74',
  CACNA1S: 'HGNC:1397',
  CYP2B6: 'HGNC:2615',
  CYP2C19: 'HGNC:2621',
  CYP2C9: 'HGNC:2623',
  CYP2D6: 'HGNC:2625',
  CYP3A4: 'HGNC:2637',
  CYP3A5: 'HGNC:2638',
  CYP4F2: 'HGNC:2645',
  DPYD: 'HGNC:3012',
  G6PD: 'HGNC:4057',
  'HLA-A': 'HGNC:4931',
  'HLA-B': 'HGNC:4932',
  // HGNC:18365 per CPIC's gene table (cpic-data V2__initial_data.sql; Entrez 282617); HGNC:18364 is IFNL2
  IFNL3: 'HGNC:18365',
  'MT-RNR1': 'HGNC:7470',
  // per CPIC's gene table (cpic-data V2__initial_data.sql: NAT2 … HGNC:7646, PharmGKB PA18)
  NAT2: 'HGNC:7646',
  // HGNC symbol report for CFTR (CF transmembrane conductance regulator): HGNC:1884
  CFTR: 'HGNC:1884',
  NUDT15: 'HGNC:23063',
  RYR1: 'HGNC:10483',
  SLCO1B1: 'HGNC:10959',
  TPMT: 'HGNC:12014',
  UGT1A1: 'HGNC:12530',
  VKORC1: 'HGNC:23663',
};

/**
 * Genes whose CPIC rule is a method of their own (a module in src/pgx/methods/), with where the rule comes from.
 * The DPYD rule was already this engine's; its source is named here, not re-read against the guideline text.
 */
export const OWN_METHOD: Record<string, { method: GeneMethod; provenance: string }> = {
  DPYD: {
    method: 'dpyd-lowest-two',
    provenance:
      'Method dpyd-lowest-two: labs report DPYD as the variants found, unphased; the activity score is taken from the two ' +
      'lowest-function variants (the rest assumed in cis), one variant found is scored against the reference allele, none ' +
      'found is reference/reference (CPIC DPYD guideline, Amstutz et al. Clin Pharmacol Ther 2018;103:210; PharmCAT\'s ' +
      'DPYD caller applies the same lowest-two rule).',
  },
};

/**
 * Single variants that labs also name by a legacy position on the opposite strand, with the complementary bases.
 * VKORC1 rs9923231 is "-1639G>A" (c.-1639G>A: G = the reference C read on the other strand, A = the variant T).
 */
export const LEGACY_POSITION: Record<string, { position: string; provenance: string }> = {
  VKORC1: {
    position: '-1639',
    provenance:
      'rs9923231 is also written VKORC1 -1639G>A (c.-1639G>A), the same variant on the opposite strand: -1639 G/A read ' +
      'as rs9923231 C/T (CPIC warfarin guideline 2017, PMID 28198005, names the variant "VKORC1 -1639G>A (rs9923231)").',
  },
};

/**
 * CYP2D6 activity-score → phenotype cut-offs (CPIC/DPWG consensus, Caudle et al. 2020, PMID 31647186,
 * as in CPIC's CYP2D6 gene-phenotype table): 0 PM; 0.25–1.0 IM; 1.25–2.25 NM; >2.25 UM.
 */
export const CYP2D6_RANGES: NonNullable<RawGeneTable['scoreRanges']> = [
  { min: 0, max: 0, phenotype: 'Poor Metabolizer' },
  { min: 0.25, max: 1.0, phenotype: 'Intermediate Metabolizer' },
  { min: 1.25, max: 2.25, phenotype: 'Normal Metabolizer' },
  { min: 2.5, max: null, phenotype: 'Ultrarapid Metabolizer' },
];

/**
 * CYP2D6 activity values checked against CPIC's CYP2D6 table as redistributed by PharmCAT
 * (PharmGKB/PharmCAT src/main/resources/org/pharmgkb/pharmcat/phenotype/cpic/CYP2D6.json, CPIC data
 * version 2024-03-25, and the 2024-07 PharmCAT fixes for *27x2 and the ≥3.75 scores). Every value the
 * transcription shares with that file agrees, including the ones flagged for review: *9 0.25,
 * *10 0.25, *14 0.5, *17 0.5, *29 0.5, *41 0.25, *41x2 0.5, *41x3 0.75, *9x2/*10x2 0.5. Entries left
 * here override the transcription (none needed at present); the verification is recorded as provenance.
 */
export const CYP2D6_CORRECTIONS: Record<string, { value: string; was: string; source: string }> = {};

export const CYP2D6_VERIFICATION =
  'CYP2D6 activity values verified value-by-value against CPIC CYP2D6 allele activity (PharmGKB/PharmCAT ' +
  'phenotype/cpic/CYP2D6.json, CPIC 2024-03-25 + 2024-07 fixes): all 155 shared alleles agree (*9 0.25, ' +
  '*10 0.25, *14 0.5, *17 0.5, *29 0.5, *41 0.25, *41x3 0.75); tandems (*13 + *1, *36 + *10, *68 + *2 ...) ' +
  'and *27x2/*28x2 as listed in PharmCAT docs/Phenotypes-List.md (2025-11). Lookup key = activity score ' +
  'string as CPIC writes it ("1.25", "≥3.0", "≥4.0").';

const MHS = 'Malignant Hyperthermia associated';

/** Genes absent from the shared snapshot, derived from CPIC's published allele functions and rules. */
export const SUPPLEMENT: Omit<RawGeneTable, 'version' | 'source'>[] = [
  {
    gene: 'HLA-B',
    hgnc: HGNC['HLA-B'],
    method: 'carrier',
    alleles: {},
    carrierAlleles: ['*57:01', '*58:01', '*15:02'],
    provenance: [
      'CPIC abacavir (HLA-B*57:01), allopurinol (HLA-B*58:01), carbamazepine/oxcarbazepine/phenytoin ' +
        '(HLA-B*15:02) guidelines: result is carriage of the allele; CPIC lookup keys "*57:01 positive" / ' +
        '"*57:01 negative" (same for *58:01, *15:02).',
    ],
  },
  {
    gene: 'HLA-A',
    hgnc: HGNC['HLA-A'],
    method: 'carrier',
    alleles: {},
    carrierAlleles: ['*31:01'],
    provenance: ['CPIC carbamazepine guideline (HLA-A*31:01): lookup keys "*31:01 positive" / "*31:01 negative".'],
  },
  {
    gene: 'CYP4F2',
    hgnc: HGNC.CYP4F2,
    method: 'function-pair',
    referenceAllele: '*1',
    alleles: { '*1': { function: 'Normal function' }, '*3': { function: 'Decreased function' } },
    variant: { rsid: 'rs2108622', ref: 'C', alt: 'T', refAllele: '*1', altAllele: '*3' },
    pairRules: {
      'Normal function|Normal function': { phenotype: '*3 noncarrier', lookupKey: '*3 noncarrier' },
      'Decreased function|Normal function': { phenotype: '*3 carrier', lookupKey: '*3 carrier' },
      'Decreased function|Decreased function': { phenotype: '*3 carrier', lookupKey: '*3 carrier' },
    },
    provenance: [
      'CPIC warfarin guideline 2017 (PMID 28198005): CYP4F2*3 (rs2108622 T, V433M) carriage adjusts dose; ' +
        'CPIC publishes no CYP4F2 diplotype table, so the key is carriage of *3. Other CYP4F2 alleles → indeterminate.',
      'Keys "*3 carrier"/"*3 noncarrier" are this project\'s, not CPIC lookup keys: CPIC defines none for CYP4F2 ' +
        '("diplotype to phenotype translation is not applicable to the warfarin guideline", cpic-data ' +
        'V32__more_notes.sql) and has no per-genotype warfarin rows (CPIC v1.30.0 export: recommendations null). ' +
        'No recommendation row keys on them; the warfarin row names CYP4F2*3 in its dosing words.',
    ],
  },
  {
    gene: 'G6PD',
    hgnc: HGNC.G6PD,
    method: 'x-linked',
    referenceAllele: 'B (reference)',
    // every CPIC G6PD allele, grouped by function in genes-g6pd.ts
    alleles: Object.fromEntries(
      Object.entries(G6PD_FUNCTIONS)
        .flatMap(([fn, names]) => names.map((name) => [name, { function: fn }] as const))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
    // hemizygous (one allele): its function decides
    singleRules: {
      'IV/Normal': { phenotype: 'Normal', lookupKey: 'Normal' },
      'III/Deficient': { phenotype: 'Deficient', lookupKey: 'Deficient' },
      'II/Deficient': { phenotype: 'Deficient', lookupKey: 'Deficient' },
      'I/Deficient with CNSHA': { phenotype: 'Deficient with CNSHA', lookupKey: 'Deficient with CNSHA' },
      'Uncertain function': { phenotype: 'Indeterminate' },
    },
    // heterozygous/homozygous females (two alleles)
    pairRules: pairsFrom(
      ['IV/Normal', 'III/Deficient', 'II/Deficient', 'I/Deficient with CNSHA', 'Uncertain function'],
      (a, b) => {
        const normal = (f: string) => f === 'IV/Normal';
        const deficient = (f: string) => f.includes('Deficient');
        if (a === 'Uncertain function' || b === 'Uncertain function') return { phenotype: 'Indeterminate' };
        if (normal(a) && normal(b)) return { phenotype: 'Normal', lookupKey: 'Normal' };
        if ((normal(a) && deficient(b)) || (normal(b) && deficient(a))) return { phenotype: 'Variable', lookupKey: 'Variable' };
        if (a === 'I/Deficient with CNSHA' && b === 'I/Deficient with CNSHA') {
          return { phenotype: 'Deficient with CNSHA', lookupKey: 'Deficient with CNSHA' };
        }
        return { phenotype: 'Deficient', lookupKey: 'Deficient' };
      },
    ),
    provenance: [
      'CPIC G6PD guideline 2022 (PMID 35503124) and CPIC G6PD allele functionality (WHO class), as in ' +
        'PharmGKB/PharmCAT phenotype/cpic/G6PD.json: males hemizygous — allele function decides; females — ' +
        'two normal = Normal, one normal + one deficient = Variable, two deficient = Deficient ' +
        '(two class I = Deficient with CNSHA); any uncertain allele = Indeterminate.',
      `Allele functions: ${G6PD_SOURCE}; alleles not listed → indeterminate.`,
    ],
  },
  {
    gene: 'RYR1',
    hgnc: HGNC.RYR1,
    method: 'function-pair',
    referenceAllele: 'Reference',
    alleles: Object.fromEntries(
      [
        ['Reference', 'Normal function'],
        ...[
          'c.103T>C', 'c.130C>T', 'c.487C>T', 'c.488G>T', 'c.742G>A', 'c.742G>C', 'c.982C>T', 'c.1021G>A',
          'c.1021G>C', 'c.1201C>T', 'c.1209C>G', 'c.1565A>C', 'c.1589G>A', 'c.1597C>T', 'c.1654C>T',
          'c.1840C>T', 'c.1841G>T', 'c.6487C>T', 'c.6488G>A', 'c.6502G>A', 'c.6617C>G', 'c.6617C>T',
          'c.7007G>A', 'c.7042_7044delGAG', 'c.7048G>A', 'c.7063C>T', 'c.7124G>C', 'c.7282G>A', 'c.7300G>A',
          'c.7304G>A', 'c.7354C>T', 'c.7360C>T', 'c.7361G>A', 'c.7372C>T', 'c.7373G>A', 'c.7522C>G',
          'c.7522C>T', 'c.7523G>A', 'c.9310G>A', 'c.11969G>T', 'c.14387A>G', 'c.14477C>T', 'c.14497C>T',
          'c.14512C>G', 'c.14545G>A', 'c.14693T>C',
        ].map((v) => [v, MHS]),
        ['c.1598G>A', 'Uncertain function'],
        ['c.14582G>A', 'Uncertain function'],
      ].map(([name, fn]) => [name, { function: fn }]),
    ),
    pairRules: pairsFrom(['Normal function', MHS, 'Uncertain function'], (a, b) =>
      a === MHS || b === MHS
        ? { phenotype: 'Malignant Hyperthermia Susceptibility', lookupKey: 'Malignant Hyperthermia Susceptibility' }
        : { phenotype: 'Uncertain Susceptibility', lookupKey: 'Uncertain Susceptibility' },
    ),
    provenance: [
      'CPIC RYR1/CACNA1S guideline 2018 (PMID 30499100) and CPIC RYR1 allele functionality as in ' +
        'PharmGKB/PharmCAT phenotype/cpic/RYR1.json: any MH-associated variant → Malignant Hyperthermia ' +
        'Susceptibility; otherwise Uncertain Susceptibility (same rule as the CACNA1S table).',
    ],
  },
];

/** Every unordered pair of functions → the rule's answer, keyed "a|b" with a ≤ b. */
function pairsFrom(
  functions: string[],
  rule: (a: string, b: string) => { phenotype: string; lookupKey?: string },
): Record<string, { phenotype: string; lookupKey?: string }> {
  const out: Record<string, { phenotype: string; lookupKey?: string }> = {};
  for (const a of functions) {
    for (const b of functions) {
      const [x, y] = [a, b].sort();
      out[`${x}|${y}`] = rule(x!, y!);
    }
  }
  return out;
}

/**
 * IFNL3 (rs12979860): CPIC peginterferon alfa guideline 2014 (PMID 24096968): C/C = favorable response
 * genotype; C/T and T/T = unfavorable response genotype.
 */
export const IFNL3_PAIRS = {
  'Favorable response allele|Favorable response allele': {
    phenotype: 'Favorable response genotype',
    lookupKey: 'Favorable response genotype',
  },
  'Favorable response allele|Unfavorable response allele': {
    phenotype: 'Unfavorable response genotype',
    lookupKey: 'Unfavorable response genotype',
  },
  'Unfavorable response allele|Unfavorable response allele': {
    phenotype: 'Unfavorable response genotype',
    lookupKey: 'Unfavorable response genotype',
  },
};

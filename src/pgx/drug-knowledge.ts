/**
 * The drug half of the PGx knowledge: drug table, CPIC recommendation rows and phenoconverting inhibitors,
 * compiled by scripts/terminology/build-drugs.ts into terminology/*.json and indexed here once at start-up.
 * Pure: takes the parsed JSON, returns lookup structures (immutable but for the name-match memo it owns).
 */
import type { GuidelineCitation, RecommendationAction } from './types';
import { buildNameIndex, type NameIndex } from './drug-identification';

// ---- compiled file shapes (terminology/drugs.json, recommendations.json, inhibitors.json)

export interface DrugProduct {
  rxcui: string;
  /** RxNorm term type: SCD (clinical drug) or SBD (branded drug) */
  tty: 'SCD' | 'SBD';
  display: string;
}

export interface DrugEntry {
  /** lower-case generic name, e.g. "clopidogrel" */
  name: string;
  /** RxNorm ingredient (IN) */
  rxcui: string;
  /** short kebab-case therapeutic class, e.g. "antiplatelet" */
  class: string;
  /** brand names and synonyms, matched case-insensitively as whole words */
  names: string[];
  products: DrugProduct[];
}

export interface DrugTableFile {
  version: string;
  drugs: DrugEntry[];
}

/** A card's urgency, classified per row at build time (scripts/terminology/classify-indicator.ts). */
export type CardIndicator = 'info' | 'warning' | 'critical';

export interface RecommendationRow {
  id: string;
  drug: string;
  guideline: string;
  population: string;
  /** gene → CPIC lookup key; "*" accepts any determinate result */
  lookup: Record<string, string>;
  action: RecommendationAction;
  strength: string;
  dosing?: string;
  note?: string;
  alternatives: string[];
  /** card indicator by the written rule (docs/card-calibration.md), from CPIC's fields and text */
  indicator: CardIndicator;
}

export interface RecommendationsFile {
  version: string;
  source: { name: string; version: string; url: string; accessed: string };
  guidelines: Record<string, GuidelineCitation>;
  rows: RecommendationRow[];
}

export type InhibitionMethod =
  | {
      method: 'activity-score';
      strongFactor: number;
      moderateFactor: number;
      roundTo: number;
      /** the gene table whose score → phenotype cut-offs apply (e.g. "genes/CYP2D6.json"): referred to, not restated */
      phenotypesFrom: string;
    }
  | {
      method: 'phenotype-ladder';
      ladder: string[];
      likely: Record<string, string>;
      poor: string;
    };

export interface InhibitorEntry {
  drug: string;
  gene: string;
  strength: 'strong' | 'moderate';
}

export interface InhibitorsFile {
  version: string;
  sources: string[];
  genes: Record<string, InhibitionMethod>;
  inhibitors: InhibitorEntry[];
}

/** A dose table from an FDA label (terminology/label-doses.json): expected dose per genotype combination. */
export interface LabelDoseTable {
  drug: string;
  source: { name: string; url: string; version: string; license: string };
  unit: string;
  genes: string[];
  /** the combination the label's usual dose applies to; other cells with a different range are a dose change */
  reference: Record<string, string>;
  cells: Array<{ keys: Record<string, string>; dose: string }>;
}

export interface LabelDosesFile {
  version: string;
  tables: LabelDoseTable[];
}

export interface RawDrugKnowledge {
  drugs: DrugTableFile;
  recommendations: RecommendationsFile;
  inhibitors: InhibitorsFile;
  labelDoses: LabelDosesFile;
}

// ---- indexed form

export interface DrugRecommendations {
  drug: string;
  /** genes CPIC pairs with the drug (union of the rows' lookup genes), sorted */
  genes: string[];
  rows: RecommendationRow[];
  /** composite key (see rowKey) → row, for exact lookups */
  byKey: Map<string, RecommendationRow>;
  /** per gene, the normalised keys that occur in rows (used for "≥" thresholds and wildcards) */
  keysByGene: Map<string, Set<string>>;
}

export interface DrugKnowledge {
  version: string;
  /** CPIC data version the recommendations were transcribed from */
  cpicVersion: string;
  drugs: DrugEntry[];
  /** ingredient, SCD and SBD RxCUI → drug */
  byRxcui: Map<string, DrugEntry>;
  byIngredient: Map<string, DrugEntry>;
  byName: Map<string, DrugEntry>;
  /** names sorted longest first, for whole-word text matching */
  namesLongestFirst: string[];
  /** the names indexed by first word, for whole-word matching in free text */
  nameIndex: NameIndex;
  /**
   * Product text → the drug it names (null: none), filled as orders are read (src/pgx/drug-identification.ts):
   * belongs to this knowledge, so a reload starts empty.
   */
  textMatches: Map<string, DrugEntry | null>;
  recommendations: Map<string, DrugRecommendations>;
  guidelines: Record<string, GuidelineCitation>;
  inhibitorsByDrug: Map<string, InhibitorEntry[]>;
  inhibitionMethods: Record<string, InhibitionMethod>;
  /** FDA-label dose tables by drug */
  labelDoses: Map<string, LabelDoseTable>;
}

/**
 * Normalise a CPIC lookup key so that "1.0" and "1", "≥3.0" and "≥3", "HLA-B*57:01 positive" and
 * "*57:01 positive" compare equal; the rest is compared case-insensitively.
 */
export function normaliseLookupKey(gene: string, key: string): string {
  let k = key.trim().replace(/\s+/g, ' ');
  if (k.toUpperCase().startsWith(gene.toUpperCase() + '*')) k = k.slice(gene.length);
  const m = /^(≥|>=)?\s*(\d+(?:\.\d+)?)$/.exec(k);
  if (m) return (m[1] ? '≥' : '') + String(Number(m[2]));
  return k.toLowerCase();
}

/** Composite key of a row or a patient: genes sorted, each "GENE=normalisedKey". */
export function rowKey(lookup: Record<string, string>): string {
  return Object.keys(lookup)
    .sort()
    .map((g) => `${g}=${normaliseLookupKey(g, lookup[g] as string)}`)
    .join('|');
}

function indexRecommendations(rows: RecommendationRow[]): Map<string, DrugRecommendations> {
  const out = new Map<string, DrugRecommendations>();
  for (const row of rows) {
    let entry = out.get(row.drug);
    if (!entry) {
      entry = { drug: row.drug, genes: [], rows: [], byKey: new Map(), keysByGene: new Map() };
      out.set(row.drug, entry);
    }
    entry.rows.push(row);
    entry.byKey.set(rowKey(row.lookup), row);
    for (const [gene, key] of Object.entries(row.lookup)) {
      if (!entry.genes.includes(gene)) entry.genes.push(gene);
      let keys = entry.keysByGene.get(gene);
      if (!keys) entry.keysByGene.set(gene, (keys = new Set()));
      keys.add(normaliseLookupKey(gene, key));
    }
  }
  for (const entry of out.values()) entry.genes.sort();
  return out;
}

export function indexDrugKnowledge(raw: RawDrugKnowledge): DrugKnowledge {
  const byRxcui = new Map<string, DrugEntry>();
  const byIngredient = new Map<string, DrugEntry>();
  const byName = new Map<string, DrugEntry>();
  for (const drug of raw.drugs.drugs) {
    byIngredient.set(drug.rxcui, drug);
    byRxcui.set(drug.rxcui, drug);
    for (const p of drug.products) byRxcui.set(p.rxcui, drug);
    for (const n of [drug.name, ...drug.names]) byName.set(n.toLowerCase(), drug);
  }
  const inhibitorsByDrug = new Map<string, InhibitorEntry[]>();
  for (const inh of raw.inhibitors.inhibitors) {
    const list = inhibitorsByDrug.get(inh.drug) ?? [];
    list.push(inh);
    inhibitorsByDrug.set(inh.drug, list);
  }
  const namesLongestFirst = [...byName.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return {
    version: `${raw.drugs.version} / ${raw.recommendations.version} / ${raw.inhibitors.version} / ${raw.labelDoses.version}`,
    cpicVersion: raw.recommendations.source.version,
    drugs: raw.drugs.drugs,
    byRxcui,
    byIngredient,
    byName,
    namesLongestFirst,
    nameIndex: buildNameIndex(namesLongestFirst, byName),
    textMatches: new Map(),
    recommendations: indexRecommendations(raw.recommendations.rows),
    guidelines: raw.recommendations.guidelines,
    inhibitorsByDrug,
    inhibitionMethods: raw.inhibitors.genes,
    labelDoses: new Map(raw.labelDoses.tables.map((t) => [t.drug, t])),
  };
}

/**
 * Pharmacogenomic guidance from sources other than CPIC (FDA drug labels, the FDA Table of Pharmacogenetic
 * Associations, DPWG), as PharmGKB annotates them (terminology/guidance.json, compiled from
 * terminology/sources/guidance-fda-dpwg.yaml and guidance-extracted.json). Each row keeps its source and version. Shown after CPIC's recommendation; for a drug CPIC has no rows for, it decides the verdict. Pure.
 */
import { VERDICT } from './assess-drug';
import type { GeneResult, GenomicProfile, OtherGuidance, PgxAssessment, PgxVerdict, RationaleStep, RecommendationAction } from './types';

export interface GuidanceSource {
  name: string;
  version: string;
  license: string;
}

export interface GuidanceRow {
  id: string;
  source: string;
  drug: string;
  gene: string;
  /** CPIC phenotype terms the row applies to */
  phenotypes?: string[];
  /** exact diplotypes ("*1/*3") the row applies to, order-free */
  diplotypes?: string[];
  /** CPIC lookup keys the row applies to: an activity score ("1.0") or a carrier key ("*57:01 positive") */
  lookupKeys?: string[];
  action: RecommendationAction;
  /** "info": the source states an association but asks for no genotype-driven change (docs/card-calibration.md) */
  indicator?: 'info' | 'warning' | 'critical';
  /** the label names this a contraindication */
  contraindicated?: boolean;
  text: string;
  annotation: { id: string; url: string; title: string };
  /** PharmGKB's recommendation id, where the row is PharmGKB's annotation */
  pgkbId?: string;
  /** the row's own version (guideline annotation version, data release) where it differs from its source's */
  version?: string;
}

export interface GuidanceFile {
  version: string;
  sources: Record<string, GuidanceSource>;
  rows: GuidanceRow[];
}

export interface GuidanceKnowledge {
  version: string;
  sources: Record<string, GuidanceSource>;
  /** drug → its rows, in file order (source by source) */
  byDrug: Map<string, GuidanceRow[]>;
}

export function indexGuidance(raw: GuidanceFile): GuidanceKnowledge {
  const byDrug = new Map<string, GuidanceRow[]>();
  for (const r of raw.rows) byDrug.set(r.drug, [...(byDrug.get(r.drug) ?? []), r]);
  return { version: raw.version, sources: raw.sources, byDrug };
}

const pairKey = (names: string[]): string => [...names].sort().join('/');

function matches(row: GuidanceRow, r: GeneResult): boolean {
  if (r.status !== 'determinate') return false;
  if (row.diplotypes) {
    if (r.alleles.length !== 2) return false;
    const mine = pairKey(r.alleles.map((a) => a.name));
    return row.diplotypes.some((d) => pairKey(d.split('/')) === mine);
  }
  if (row.lookupKeys) {
    const keys = r.lookupKeys?.length ? r.lookupKeys : r.lookupKey ? [r.lookupKey] : [];
    return row.lookupKeys.some((k) => keys.includes(k));
  }
  return (row.phenotypes ?? []).some((p) => p.toLowerCase() === r.phenotype.toLowerCase());
}

/** What kind of advice an action is, to say where another source differs from CPIC (not merely in wording). */
const ADVICE_KIND: Record<RecommendationAction, string> = {
  standard: 'standard',
  'adjust-dose': 'dose',
  monitor: 'dose',
  avoid: 'alternative',
  'use-alternative': 'alternative',
  'consider-alternative': 'alternative',
  'no-recommendation': 'none',
};

function matchedLabel(row: GuidanceRow, r: GeneResult): string {
  if (row.diplotypes) return r.diplotype ?? pairKey(r.alleles.map((x) => x.name));
  if (row.lookupKeys) {
    const key = row.lookupKeys.find((k) => (r.lookupKeys ?? [r.lookupKey]).includes(k))!;
    return r.phenotype.includes(key) ? r.phenotype : `${r.phenotype}, ${/^\d/.test(key) ? 'activity score ' : ''}${key}`;
  }
  return r.phenotype;
}

const SEVERITY: PgxVerdict[] = ['no-guidance', 'appropriate', 'adjust', 'expected-ineffective', 'contraindicated'];

/**
 * Add the other sources' guidance to an assessment. For a drug with CPIC rows the CPIC verdict stands and the
 * other sources are shown after it (with a note where they differ); for a drug without, the other sources give
 * the verdict (the most severe matching row), and a gene with no result makes the drug untested.
 */
export function withOtherGuidance(a: PgxAssessment, profile: GenomicProfile, kb: GuidanceKnowledge | undefined): PgxAssessment {
  const drug = a.drug.cpicDrug;
  const rows = drug ? kb?.byDrug.get(drug) : undefined;
  if (!rows || !kb) return a;
  const cpic = a.recommendation;
  const cpicKind = cpic ? (cpic.action === 'monitor' && cpic.indicator === 'info' ? 'standard' : ADVICE_KIND[cpic.action]) : undefined;
  const hits = rows.filter((row) => profile[row.gene] && matches(row, profile[row.gene]!));
  // a row for the patient's exact diplotype is more specific than the same source's row for the phenotype
  const exact = new Set(hits.filter((row) => row.diplotypes).map((row) => `${row.source}|${row.gene}`));
  const found: OtherGuidance[] = [];
  for (const row of hits) {
    if (!row.diplotypes && exact.has(`${row.source}|${row.gene}`)) continue;
    const r = profile[row.gene]!;
    const src = kb.sources[row.source]!;
    found.push({
      source: src.name,
      sourceVersion: row.version ?? src.version,
      gene: row.gene,
      matched: matchedLabel(row, r),
      action: row.action,
      ...(row.indicator === 'info' ? { informational: true } : {}),
      ...(row.contraindicated ? { contraindicated: true } : {}),
      text: row.text,
      citation: { ...row.annotation },
      rowId: row.id,
      // an association stated with no instruction gives no advice to differ with
      ...(cpicKind && row.indicator !== 'info' && cpicKind !== ADVICE_KIND[row.action] ? { differsFromCpic: true } : {}),
    });
  }
  if (a.verdict !== 'no-guidance' || a.recommendation) return found.length ? { ...a, otherGuidance: found } : a;

  // no CPIC rows for this drug: the other sources decide
  const genes = [...new Set(rows.map((r) => r.gene))].sort();
  const results = genes.map((g) => profile[g]).filter((r): r is GeneResult => !!r);
  const missing = genes.filter((g) => !profile[g]);
  const rationale: RationaleStep[] = [
    { kind: 'note', text: `${drug} has no CPIC recommendation; guidance from ${[...new Set(rows.map((r) => kb.sources[r.source]!.name))].join(' and ')} applies.` },
  ];
  for (const g of found) rationale.push({ kind: 'recommendation', gene: g.gene, text: `${g.source}: ${g.text}`, data: { rowId: g.rowId, source: g.source, version: g.sourceVersion } });
  for (const g of missing) {
    rationale.push({ kind: 'missing', gene: g, text: `No ${g} result on file; the ${drug} label/guideline depends on ${g}. A ${g} test would inform this prescription.`, data: { gene: g, drug } });
  }
  let verdict: PgxVerdict = 'no-guidance';
  for (const g of found) {
    const v = g.informational ? 'appropriate' : VERDICT[g.action];
    if (SEVERITY.indexOf(v) > SEVERITY.indexOf(verdict)) verdict = v;
  }
  if (found.length === 0) verdict = missing.length ? 'untested' : results.some((r) => r.status !== 'determinate') ? 'indeterminate' : 'no-guidance';
  return {
    ...a,
    verdict,
    relevantGenes: genes,
    genes: results,
    missingGenes: missing,
    rationale: [...a.rationale.filter((s) => s.kind !== 'note'), ...rationale],
    ...(found.length ? { otherGuidance: found } : {}),
  };
}

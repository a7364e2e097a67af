/**
 * What the patient's genomics say about one drug: the pure core of the PGx half.
 * O(genes): one map lookup per relevant gene plus a keyed row lookup.
 */
import type { PgxKnowledge } from './knowledge';
import { effectivePhenotype, type EffectiveResult } from './phenoconversion';
import { GAP_KEY, consistentRows, findRecommendationRow, gapRecommendationRow, recommendationText, toRecommendation, unanimous } from './recommendation';
import { normaliseLookupKey, type RecommendationRow } from './drug-knowledge';
import type {
  DrugRef,
  GeneResult,
  GenomicProfile,
  PartialAdvice,
  PgxAssessment,
  PgxVerdict,
  RationaleStep,
  RecommendationAction,
} from './types';

/** what a guideline's action means for giving the drug (every source's rows use the same actions) */
export const VERDICT: Record<RecommendationAction, PgxVerdict> = {
  standard: 'appropriate',
  'adjust-dose': 'adjust',
  monitor: 'adjust',
  'consider-alternative': 'adjust',
  avoid: 'contraindicated',
  'use-alternative': 'expected-ineffective',
  'no-recommendation': 'no-guidance',
};

/** The verdict of a row: a "monitor" row classified info is CPIC's standard dosing with everyone's monitoring. */
function verdictOf(row: RecommendationRow): PgxVerdict {
  return row.action === 'monitor' && row.indicator === 'info' ? 'appropriate' : VERDICT[row.action];
}

const INDICATOR_RANK = { info: 0, warning: 1, critical: 2 } as const;

/**
 * A partner gene has no result and CPIC publishes no row for that gap: the advice the known result supports.
 * An FDA-label dose table (warfarin) gives the dose range whatever the missing genotype; otherwise CPIC's rows
 * consistent with the known result give the least urgent indicator any missing result could lead to.
 */
function partialAdvice(
  drug: string,
  keys: Record<string, string>,
  genes: GeneResult[],
  missing: string[],
  kb: PgxKnowledge,
): PartialAdvice | undefined {
  const known = Object.keys(keys);
  if (known.length === 0 || missing.length === 0) return undefined;
  const table = kb.drugs.labelDoses.get(drug);
  if (table) {
    // the table is keyed by diplotype for some genes (CYP2C9) and by lookup key for others (VKORC1 -1639)
    const valueOf = (gene: string): string | undefined => {
      const r = genes.find((g) => g.gene === gene);
      return r?.diplotype && table.cells.some((c) => c.keys[gene] === r.diplotype) ? r.diplotype : keys[gene];
    };
    const knownValues = Object.fromEntries(table.genes.filter((g) => !missing.includes(g)).map((g) => [g, valueOf(g)]));
    const cells = table.cells.filter((c) => Object.entries(knownValues).every(([g, v]) => c.keys[g] === v));
    if (cells.length && table.genes.every((g) => missing.includes(g) || knownValues[g] !== undefined)) {
      const ref = table.cells.find((c) => table.genes.every((g) => c.keys[g] === table.reference[g]))!;
      const doses = [...new Set(cells.map((c) => c.dose))];
      const allReduced = cells.every((c) => c.dose !== ref.dose);
      const knownWords = Object.entries(knownValues).map(([g, v]) => `${g} ${v}`).join(', ');
      const missingWords = missing.join('/');
      const range =
        doses.length === 1
          ? `${doses[0]} ${table.unit} whatever the ${missingWords} genotype`
          : cells.map((c) => `${c.dose} ${table.unit} with ${missing.map((g) => `${g} ${c.keys[g]}`).join(', ')}`).join('; ');
      return {
        known,
        missing,
        indicator: allReduced ? 'warning' : 'info',
        text: `With ${knownWords}, the FDA label's table gives an expected maintenance dose of ${range} (usual: ${ref.dose} ${table.unit}). No ${missingWords} result on file: a ${missingWords} test would refine the dose.`,
        summary: `expected dose ${doses.length === 1 ? doses[0] : `${doses[doses.length - 1]}–${doses[0]}`.replace(/–.*–/, '–')} ${table.unit} (FDA label)`,
        headline: allReduced
          ? `Expect a lower ${drug} dose: ${doses.length === 1 ? `${doses[0]} ${table.unit} whatever the ${missingWords} genotype` : `${doses.join(' or ')} ${table.unit} depending on ${missingWords}`} (FDA label; usual ${ref.dose} ${table.unit}). Test ${missingWords}.`
          : `The ${drug} dose depends on ${missingWords}: test ${missingWords} (FDA label range ${doses.join(' or ')} ${table.unit}).`,
        source: { label: table.source.name, url: table.source.url, version: table.source.version },
      };
    }
  }
  const rows = consistentRows(drug, keys, kb.drugs).filter((r) => !Object.values(r.lookup).some((k) => /^(no result|indeterminate)$/i.test(k)));
  if (!rows.length) return undefined;
  const floor = rows.reduce((a, r) => (INDICATOR_RANK[r.indicator] < INDICATOR_RANK[a.indicator] ? r : a));
  const knownWords = genes.filter((g) => known.includes(g.gene)).map((g) => `${g.gene} ${g.phenotype}`).join(', ');
  const m = missing.join('/');
  // CPIC's advice per possible result of the missing gene, rows with the same words together
  const byText = new Map<string, string[]>();
  for (const r of rows) {
    const text = recommendationText(r);
    const partner = missing.map((g) => `${g} ${r.lookup[g]}`).join(', ');
    byText.set(text, [...(byText.get(text) ?? []), partner]);
  }
  const options = [...byText.entries()].map(([advice, partners]) => ({ when: partners.join('; '), advice }));
  const guideline = kb.drugs.guidelines[floor.guideline];
  const words = {
    critical: { summary: `avoid whatever ${m}`, headline: `Whatever the ${m} result, CPIC says avoid ${drug} or use an alternative. Test ${m} for the details.` },
    warning: { summary: `a dose or drug change whatever ${m}`, headline: `Every possible ${m} result calls for a change (dose or drug) per CPIC: test ${m} to choose it.` },
    info: { summary: `advice depends on ${m}`, headline: `CPIC's advice for ${drug} depends on ${m}: test ${m} before relying on standard dosing.` },
  }[floor.indicator];
  return {
    known,
    missing,
    indicator: floor.indicator,
    text: `With ${knownWords}, CPIC's advice depends on ${m}; a ${m} test would settle it.`,
    ...words,
    options,
    source: { label: guideline?.title ?? 'CPIC', ...(guideline ? { url: guideline.url } : {}), version: guideline?.version ?? kb.drugs.cpicVersion },
  };
}

function resultSteps(r: GeneResult): RationaleStep[] {
  const steps: RationaleStep[] = [];
  for (const s of r.sources) {
    steps.push({
      kind: 'observation',
      gene: r.gene,
      text: `${r.gene} ${s.kind} result${s.date ? ` of ${s.date}` : ''}${s.status ? ` (${s.status})` : ''}.`,
      data: { ...s },
    });
  }
  if (r.alleles.length) {
    steps.push({
      kind: 'allele',
      gene: r.gene,
      text: `${r.gene} ${r.diplotype ?? r.alleles.map((a) => a.name).join('/')}: ${r.alleles
        .map((a) => `${a.name}${a.function ? ` (${a.function})` : ''}`)
        .join(', ')}.`,
      data: { diplotype: r.diplotype, alleles: r.alleles },
    });
  }
  if (r.activityScore !== undefined) {
    steps.push({
      kind: 'activity-score',
      gene: r.gene,
      text: `${r.gene} activity score ${r.activityScore}${r.activityArithmetic ? ` (${r.activityArithmetic})` : ''}.`,
      data: { activityScore: r.activityScore, arithmetic: r.activityArithmetic },
    });
  }
  if (r.conflict) {
    steps.push({ kind: 'conflict', gene: r.gene, text: `${r.gene}: results disagreed; ${r.conflict.resolution}.`, data: { ...r.conflict } });
  }
  if (r.reclassified) {
    steps.push({
      kind: 'reclassification',
      gene: r.gene,
      text: `${r.gene}: the lab reported "${r.reportedPhenotype ?? 'another phenotype'}"; current CPIC tables give "${r.phenotype}".`,
      data: { reportedPhenotype: r.reportedPhenotype, phenotype: r.phenotype },
    });
  }
  steps.push({
    kind: 'phenotype',
    gene: r.gene,
    text: `${r.gene} phenotype: ${r.phenotype}.`,
    data: { phenotype: r.phenotype, lookupKey: r.lookupKey, status: r.status },
  });
  return steps;
}

function phenoconversionStep(e: EffectiveResult): RationaleStep {
  const cause = e.cause as NonNullable<EffectiveResult['cause']>;
  return {
    kind: 'phenoconversion',
    gene: e.gene,
    text: `${cause.drug} is a ${cause.strength} ${e.gene} inhibitor: the patient is expected to behave as a ${e.effectivePhenotype} (genotype: ${e.genotypePhenotype}).`,
    data: {
      genotypePhenotype: e.genotypePhenotype,
      genotypeLookupKey: e.genotypeLookupKey,
      effectivePhenotype: e.effectivePhenotype,
      effectiveLookupKey: e.lookupKey,
      inhibitor: cause.drug,
      strength: cause.strength,
    },
  };
}

function recommendationStep(row: RecommendationRow, text: string, lookup: Record<string, string>, version: string): RationaleStep {
  return {
    kind: 'recommendation',
    text: `CPIC (${row.strength}): ${text}`,
    data: { rowId: row.id, action: row.action, strength: row.strength, lookup, guideline: row.guideline, cpicVersion: version },
  };
}

/** The CPIC data version the row was transcribed from (vintages differ per guideline). */
function guidelineVersion(row: RecommendationRow, kb: PgxKnowledge): string {
  return kb.drugs.guidelines[row.guideline]?.version ?? kb.drugs.cpicVersion;
}

const CARRIER_KEY = /^\*\d{2,3}:\d{2,3} (positive|negative)$/i;

/**
 * The key of a result that this drug's rows use. Genes reported per allele (HLA) answer several keys;
 * the one the drug's guideline asks about is chosen, and if the result does not report that allele the
 * gene counts as untested for this drug (undefined).
 */
function keyForDrug(r: GeneResult, available: Set<string> | undefined): string | undefined {
  const keys = r.lookupKeys?.length ? r.lookupKeys : [r.lookupKey as string];
  const hit = keys.find((k) => available?.has(normaliseLookupKey(r.gene, k)));
  if (hit) return hit;
  return keys.every((k) => CARRIER_KEY.test(normaliseLookupKey(r.gene, k))) ? undefined : (r.lookupKey as string);
}

export function assessDrug(
  drug: DrugRef,
  profile: GenomicProfile,
  activeMedications: DrugRef[],
  kb: PgxKnowledge,
): PgxAssessment {
  const base = {
    drug,
    relevantGenes: [] as string[],
    genes: [] as GeneResult[],
    missingGenes: [] as string[],
    effectivePhenotypes: [] as PgxAssessment['effectivePhenotypes'],
    rationale: [] as RationaleStep[],
    knowledgeVersion: kb.version,
  };
  if (!drug.recognised || !drug.cpicDrug) {
    return {
      ...base,
      verdict: 'unrecognised',
      rationale: [{ kind: 'note', text: `Unrecognised drug "${drug.display}": no pharmacogenomic assessment was made.` }],
    };
  }
  const recs = kb.drugs.recommendations.get(drug.cpicDrug);
  if (!recs) {
    return {
      ...base,
      verdict: 'no-guidance',
      rationale: [{ kind: 'note', text: `${drug.cpicDrug} has no CPIC level A/B gene-drug guideline in this knowledge base.` }],
    };
  }
  const rationale: RationaleStep[] = [];
  const relevantGenes = recs.genes;
  const genes: GeneResult[] = [];
  const missingGenes: string[] = [];
  const indeterminate: GeneResult[] = [];
  const chosenKey = new Map<string, string>();
  const notReported: string[] = [];
  for (const gene of relevantGenes) {
    const r = profile[gene];
    if (!r) {
      missingGenes.push(gene);
      continue;
    }
    genes.push(r);
    rationale.push(...resultSteps(r));
    if (r.status !== 'determinate' || !r.lookupKey) {
      indeterminate.push(r);
      continue;
    }
    const key = keyForDrug(r, recs.keysByGene.get(gene));
    if (key === undefined) {
      // e.g. an HLA-B result that reports *57:01 only, for carbamazepine (*15:02): that allele is untested
      missingGenes.push(gene);
      notReported.push(gene);
    } else chosenKey.set(gene, key);
  }
  for (const gene of missingGenes) {
    const partial = notReported.includes(gene);
    rationale.push({
      kind: 'missing',
      gene,
      text: partial
        ? `The ${gene} result on file does not report the allele CPIC uses for ${drug.cpicDrug}; a ${gene} test for it would inform this prescription.`
        : `No ${gene} result on file; CPIC pairs ${gene} with ${drug.cpicDrug}. A ${gene} test would inform this prescription.`,
      data: { gene, drug: drug.cpicDrug, ...(partial ? { reportedKeys: profile[gene]?.lookupKeys ?? [profile[gene]?.lookupKey] } : {}) },
    });
  }
  for (const r of indeterminate) {
    rationale.push({
      kind: 'indeterminate',
      gene: r.gene,
      text: `${r.gene} result cannot be interpreted${r.reason ? `: ${r.reason}` : ''}.`,
      data: { gene: r.gene, reason: r.reason },
    });
  }

  const effective: EffectiveResult[] = [];
  const keys: Record<string, string> = {};
  for (const r of genes) {
    const key = chosenKey.get(r.gene);
    if (key === undefined) continue;
    const e = effectivePhenotype({ ...r, lookupKey: key }, activeMedications, kb, drug.cpicDrug);
    effective.push(e);
    keys[r.gene] = e.lookupKey;
    if (e.cause) rationale.push(phenoconversionStep(e));
  }
  const effectivePhenotypes = effective.map(({ gene, genotypePhenotype, effectivePhenotype: eff, cause }) => ({
    gene,
    genotypePhenotype,
    effectivePhenotype: eff,
    ...(cause ? { cause } : {}),
  }));
  const provisional = genes
    .filter((g) => chosenKey.has(g.gene) && g.provisional)
    .map((g) => ({ gene: g.gene, status: g.provisional as 'preliminary' | 'registered' }));
  for (const p of provisional) {
    rationale.push({
      kind: 'provisional',
      gene: p.gene,
      text: `The ${p.gene} result is ${p.status}: confirm it before acting; advice from it is shown at most as a warning.`,
      data: { ...p },
    });
  }
  const common = { ...base, relevantGenes, genes, missingGenes, effectivePhenotypes, rationale, ...(provisional.length ? { provisional } : {}) };

  if (missingGenes.length > 0 || indeterminate.length > 0) {
    // Some guidelines (sertraline 2023) publish advice for an untested / uninterpretable partner gene.
    const gaps: Record<string, string> = {};
    for (const g of missingGenes) gaps[g] = GAP_KEY.missing;
    for (const r of indeterminate) gaps[r.gene] = GAP_KEY.indeterminate;
    const gapRow = gapRecommendationRow(drug.cpicDrug, keys, gaps, kb.drugs);
    if (gapRow) {
      const rec = toRecommendation(gapRow, { ...keys, ...gaps }, kb.drugs);
      rationale.push({
        kind: 'note',
        text: `CPIC gives advice for ${drug.cpicDrug} when the ${Object.keys(gaps).join('/')} result is missing or cannot be interpreted.`,
      });
      rationale.push(recommendationStep(gapRow, rec.text, { ...keys, ...gaps }, guidelineVersion(gapRow, kb)));
      return { ...common, verdict: verdictOf(gapRow), recommendation: rec };
    }
    // Only when every row consistent with the known results gives the same advice does the gap not matter.
    const known = consistentRows(drug.cpicDrug, keys, kb.drugs);
    const unknownGenes = [...missingGenes, ...indeterminate.map((r) => r.gene)];
    const candidate = Object.keys(keys).length > 0 ? unanimous(known) : undefined;
    // a "*" row (e.g. warfarin's algorithm) needs the result itself, so a gap there is never covered
    const row = candidate && !unknownGenes.some((g) => candidate.lookup[g] === '*') ? candidate : undefined;
    if (row) {
      const rec = toRecommendation(row, keys, kb.drugs);
      rationale.push({
        kind: 'note',
        text: `Whatever the ${unknownGenes.join('/')} result, CPIC's advice is the same.`,
      });
      rationale.push(recommendationStep(row, rec.text, keys, guidelineVersion(row, kb)));
      return { ...common, verdict: verdictOf(row), recommendation: rec };
    }
    const partial = missingGenes.length > 0 ? partialAdvice(drug.cpicDrug, keys, genes, missingGenes, kb) : undefined;
    if (partial) rationale.push({ kind: 'partial', text: partial.text, data: { known: partial.known, missing: partial.missing, indicator: partial.indicator, source: partial.source } });
    return { ...common, ...(partial ? { partial } : {}), verdict: missingGenes.length > 0 ? 'untested' : 'indeterminate' };
  }

  const row = findRecommendationRow(drug.cpicDrug, keys, kb.drugs);
  if (!row) {
    const text = `CPIC has no recommendation for ${drug.cpicDrug} with ${Object.entries(keys)
      .map(([g, k]) => `${g} ${k}`)
      .join(', ')}; no genotype-based advice can be given.`;
    const guideline = kb.drugs.guidelines[(recs.rows[0] as RecommendationRow).guideline];
    rationale.push({ kind: 'recommendation', text, data: { lookup: keys, action: 'no-recommendation' } });
    return {
      ...common,
      verdict: 'no-guidance',
      ...(guideline
        ? {
            recommendation: {
              action: 'no-recommendation' as const,
              indicator: 'info' as const,
              strength: 'No Recommendation',
              text,
              alternatives: [],
              guideline: { ...guideline },
              rowId: `${drug.cpicDrug}:no-row`,
              lookup: { ...keys },
            },
          }
        : {}),
    };
  }
  const rec = toRecommendation(row, keys, kb.drugs);
  rationale.push(recommendationStep(row, rec.text, keys, guidelineVersion(row, kb)));
  return { ...common, verdict: verdictOf(row), recommendation: rec };
}

/**
 * What the patient's genomics say about one drug: the pure core of the PGx half. Reads the drug's genes from the
 * profile (./drug-genes), counts interacting medications (./phenoconversion), chooses the guidance
 * (./choose-recommendation) and words the choice as rationale steps (./rationale).
 * O(genes): one map lookup per relevant gene plus a keyed row lookup.
 */
import type { PgxKnowledge } from './knowledge';
import { chooseRecommendation, type RecommendationChoice } from './choose-recommendation';
import { readDrugGenes } from './drug-genes';
import type { RecommendationRow } from './drug-knowledge';
import { effectiveLookupKeys } from './phenoconversion';
import {
  indeterminateStep,
  missingStep,
  phenoconversionStep,
  provisionalStep,
  recommendationStep,
  resultSteps,
} from './rationale';
import { toRecommendation } from './recommendation';
import type { DrugRef, GenomicProfile, PgxAssessment, RationaleStep, Recommendation } from './types';
import { verdictOf } from './verdict';

export { VERDICT } from './verdict';

/** The CPIC data version the row was transcribed from (vintages differ per guideline). */
function guidelineVersion(row: RecommendationRow, kb: PgxKnowledge): string {
  return kb.drugs.guidelines[row.guideline]?.version ?? kb.drugs.cpicVersion;
}

type Outcome = Pick<PgxAssessment, 'verdict' | 'recommendation' | 'partial'>;

/** The chosen guidance as the assessment's verdict and recommendation, and the rationale steps that word it. */
function outcomeOf(
  choice: RecommendationChoice,
  drug: string,
  keys: Record<string, string>,
  kb: PgxKnowledge,
): { outcome: Outcome; steps: RationaleStep[] } {
  switch (choice.kind) {
    case 'gap-row': {
      const rec = toRecommendation(choice.row, choice.lookup, kb.drugs);
      const note = `CPIC gives advice for ${drug} when the ${choice.gapGenes.join('/')} result is missing or cannot be interpreted.`;
      return {
        outcome: { verdict: verdictOf(choice.row), recommendation: rec },
        steps: [{ kind: 'note', text: note }, recommendationStep(choice.row, rec.text, choice.lookup, guidelineVersion(choice.row, kb))],
      };
    }
    case 'same-whatever': {
      const rec = toRecommendation(choice.row, keys, kb.drugs);
      const note = `Whatever the ${choice.unknownGenes.join('/')} result, CPIC's advice is the same.`;
      return {
        outcome: { verdict: verdictOf(choice.row), recommendation: rec },
        steps: [{ kind: 'note', text: note }, recommendationStep(choice.row, rec.text, keys, guidelineVersion(choice.row, kb))],
      };
    }
    case 'gap': {
      const { partial } = choice;
      if (!partial) return { outcome: { verdict: choice.verdict }, steps: [] };
      return {
        outcome: { partial, verdict: choice.verdict },
        steps: [{ kind: 'partial', text: partial.text, data: { known: partial.known, missing: partial.missing, indicator: partial.indicator, source: partial.source } }],
      };
    }
    case 'row': {
      const rec = toRecommendation(choice.row, keys, kb.drugs);
      return {
        outcome: { verdict: verdictOf(choice.row), recommendation: rec },
        steps: [recommendationStep(choice.row, rec.text, keys, guidelineVersion(choice.row, kb))],
      };
    }
    case 'no-row': {
      const text = `CPIC has no recommendation for ${drug} with ${Object.entries(keys)
        .map(([g, k]) => `${g} ${k}`)
        .join(', ')}; no genotype-based advice can be given.`;
      const guideline = kb.drugs.guidelines[(kb.drugs.recommendations.get(drug)!.rows[0] as RecommendationRow).guideline];
      const recommendation: Recommendation | undefined = guideline && {
        action: 'no-recommendation',
        indicator: 'info',
        strength: 'No Recommendation',
        text,
        alternatives: [],
        guideline: { ...guideline },
        rowId: `${drug}:no-row`,
        lookup: { ...keys },
      };
      return {
        outcome: { verdict: 'no-guidance', ...(recommendation ? { recommendation } : {}) },
        steps: [{ kind: 'recommendation', text, data: { lookup: keys, action: 'no-recommendation' } }],
      };
    }
  }
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
    genes: [] as PgxAssessment['genes'],
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
  const name = drug.cpicDrug;
  const recs = kb.drugs.recommendations.get(name);
  if (!recs) {
    return {
      ...base,
      verdict: 'no-guidance',
      rationale: [{ kind: 'note', text: `${name} has no CPIC level A/B gene-drug guideline in this knowledge base.` }],
    };
  }
  const found = readDrugGenes(recs, profile);
  const { effective, keys } = effectiveLookupKeys(found.genes, found.chosenKey, activeMedications, kb, name);
  const provisional = found.genes
    .filter((g) => found.chosenKey.has(g.gene) && g.provisional)
    .map((g) => ({ gene: g.gene, status: g.provisional as 'preliminary' | 'registered' }));
  const choice = chooseRecommendation(name, keys, found, kb);
  const { outcome, steps } = outcomeOf(choice, name, keys, kb);
  const rationale: RationaleStep[] = [
    ...found.genes.flatMap(resultSteps),
    ...found.missingGenes.map((g) => missingStep(g, name, found.notReported.includes(g), profile)),
    ...found.indeterminate.map(indeterminateStep),
    ...effective.filter((e) => e.cause).map(phenoconversionStep),
    ...provisional.map(provisionalStep),
    ...steps,
  ];
  const effectivePhenotypes = effective.map(({ gene, genotypePhenotype, effectivePhenotype, cause }) => ({
    gene,
    genotypePhenotype,
    effectivePhenotype,
    ...(cause ? { cause } : {}),
  }));
  return {
    ...base,
    relevantGenes: recs.genes,
    genes: found.genes,
    missingGenes: found.missingGenes,
    effectivePhenotypes,
    rationale,
    ...(provisional.length ? { provisional } : {}),
    ...outcome,
  };
}

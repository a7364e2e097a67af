/**
 * Two alleles → sum of CPIC activity values → phenotype (CYP2D6, CYP2C9). The score → phenotype cut-offs are
 * the gene table's (CPIC's score list, or CYP2D6's ranges) and are read only through `phenotypeForScore`,
 * which phenoconversion uses too.
 */
import type { IndexedGene, RawPhenotype } from '../gene-knowledge';
import { activityArithmetic, formatActivity, parseActivity, sumActivities, type Activity } from '../activity-score';
import {
  call,
  fromRule,
  indeterminate,
  mapReportedPhenotype,
  ordered,
  unknownAlleles,
  type Interpretation,
} from '../interpretation';
import { resolveAllele } from '../star-allele';
import type { GeneMethodModule } from './method';

/**
 * The gene table's phenotype for an activity score. A "≥" score falls in a band only when the band has no
 * upper bound (CYP2D6 "≥3.0" is ultrarapid; "≥1.0" could be intermediate or normal).
 */
export function phenotypeForScore(gene: IndexedGene, score: Activity): RawPhenotype | undefined {
  const text = formatActivity(score);
  if (gene.scoreRules) return gene.scoreRules[text];
  const range = gene.scoreRanges?.find((r) => score.value >= r.min && (r.max === null || score.value <= r.max));
  if (!range) return undefined;
  if (score.atLeast && range.max !== null) return undefined;
  return { phenotype: range.phenotype, lookupKey: text };
}

/**
 * Expand a copy-number token CPIC does not list into the table entries it stands for: "*2xN" → every
 * copy number CPIC lists; an exact count of three or more ("*1x3", "*2x4") → CPIC's "x≥3" entry, which is
 * how CPIC tabulates three or more copies. A no-function allele stays 0 whatever its copy number.
 */
function copyCandidates(gene: IndexedGene, token: string): string[] | undefined {
  const m = /^(.*)x(N|\d+|≥3)$/.exec(token);
  if (!m) return undefined;
  const base = m[1]!;
  const baseValue = parseActivity(gene.alleles[base]?.activityValue);
  if (m[2] === 'N') {
    const known = [`${base}x2`, `${base}x3`, `${base}x≥3`].filter((n) => gene.alleles[n]);
    if (baseValue && baseValue.value === 0) return [base];
    return known.length > 0 ? known : undefined;
  }
  const copies = Number(m[2]);
  if (!Number.isInteger(copies) || copies < 3 || !gene.alleles[base]) return undefined;
  if (gene.alleles[`${base}x≥3`]) return [`${base}x≥3`];
  return baseValue && baseValue.value === 0 ? [base] : undefined;
}

/**
 * Score two allele tokens. `note` (from a method that chose the two, e.g. DPYD's lowest two) leads the reason.
 */
export function scoreAlleles(gene: IndexedGene, working: string[], lead?: string): Interpretation {
  let note = lead;
  if (working.length !== 2) return indeterminate(`${gene.gene} needs two alleles, got ${working.length}`);

  // each token → the table entries it may stand for (one, unless the copy number is unknown)
  const options: string[][] = [];
  let copyNumberUnknown = false;
  const readAs: string[] = [];
  for (const t of working) {
    const name = resolveAllele(t, gene);
    if (name) options.push([name]);
    else {
      copyNumberUnknown = true;
      const candidates = copyCandidates(gene, t);
      if (!candidates) return indeterminate(unknownAlleles(gene, [t])!, { diplotype: working.join('/') });
      if (candidates.length === 1) readAs.push(`${t} read as CPIC's ${candidates[0]} entry`);
      options.push(candidates);
    }
  }
  if (readAs.length) note = [note, ...readAs].filter(Boolean).join('; ');
  const outcomes: Interpretation[] = [];
  for (const a of options[0]!) {
    for (const b of options[1]!) {
      const names = ordered(gene, [a, b]);
      const alleles = names.map((n) => call(gene, n));
      const values = alleles.map((x) => parseActivity(x.activityValue));
      const base = { diplotype: names.join('/'), alleles };
      if (values.some((v) => !v)) {
        const unsure = alleles.filter((_, i) => !values[i]).map((x) => x.name);
        outcomes.push(indeterminate(`${unsure.join(', ')}: no CPIC activity value (uncertain or unknown function)`, base));
        continue;
      }
      const total = sumActivities(values as Activity[]);
      const score = formatActivity(total);
      const arithmetic = activityArithmetic(alleles.map((x) => ({ name: x.name, activityValue: x.activityValue! })), score);
      const rule = phenotypeForScore(gene, total);
      outcomes.push(
        fromRule(rule, { ...base, activityScore: score, activityArithmetic: arithmetic }, `no CPIC rule for activity score ${score}`),
      );
    }
  }
  const display = ordered(gene, working.map((t) => resolveAllele(t, gene) ?? t)).join('/');
  let result: Interpretation;
  // a copy number the table lacks keeps the lab's spelling in the diplotype shown
  if (outcomes.length === 1) result = copyNumberUnknown ? { ...outcomes[0]!, diplotype: display } : outcomes[0]!;
  else {
    const phenotypes = new Set(outcomes.map((o) => o.phenotype));
    const listing = outcomes.map((o) => `${o.diplotype} → ${o.activityScore ?? 'n/a'} (${o.phenotype})`).join('; ');
    const determinate = outcomes.every((o) => o.status === 'determinate');
    if (phenotypes.size === 1 && determinate) {
      // copy number unknown but every possibility gives the same phenotype: report the lowest score as "≥"
      const lowest = outcomes.reduce((m, o) => (parseActivity(o.activityScore)!.value < parseActivity(m.activityScore)!.value ? o : m));
      const score = `≥${formatActivity({ value: parseActivity(lowest.activityScore)!.value, atLeast: false })}`;
      result = {
        ...lowest,
        diplotype: display,
        activityScore: score,
        lookupKey: score,
        activityArithmetic: `copy number not given: ${listing}`,
        reason: `copy number not given (xN); all possibilities are ${lowest.phenotype}`,
      };
    } else {
      result = indeterminate(`copy number not given (xN) and the possibilities differ: ${listing}`, {
        diplotype: display,
        alleles: outcomes[0]!.alleles,
      });
    }
  }
  return note ? { ...result, reason: result.reason ? `${note}; ${result.reason}` : note } : result;
}

/** A lab phenotype: the key is the score, so it is usable only with a score or a term that pins one. */
export function scoredPhenotype(gene: IndexedGene, text: string): Interpretation {
  const m = /activity\s*score\D{0,5}(≥?\s*\d+(?:\.\d+)?)/i.exec(text);
  const score = m ? parseActivity(m[1]!.replace(/\s+/g, '')) : undefined;
  if (!score) {
    // some phenotypes pin the score on their own (CYP2C9/DPYD Normal = 2.0, CYP2D6 Poor = 0.0)
    const unique = mapReportedPhenotype(gene, text);
    if (!unique?.lookupKey) return indeterminate('phenotype reported without activity score');
    return { status: 'determinate', alleles: [], phenotype: unique.phenotype, lookupKey: unique.lookupKey, activityScore: unique.lookupKey };
  }
  const key = formatActivity(score);
  const rule = phenotypeForScore(gene, score);
  if (!rule?.lookupKey) return indeterminate(`no CPIC phenotype for reported activity score ${key}`);
  return { status: 'determinate', alleles: [], phenotype: rule.phenotype, lookupKey: rule.lookupKey, activityScore: key };
}

export const activityScoreMethod: GeneMethodModule = {
  interpret: (gene, tokens) => scoreAlleles(gene, tokens),
  fromReportedPhenotype: scoredPhenotype,
};

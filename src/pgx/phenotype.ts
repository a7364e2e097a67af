/**
 * CPIC genotype → phenotype: resolve the allele tokens against the gene's table and apply the gene's
 * method (function pair, activity score, single allele, X-linked, carrier). Anything CPIC does not
 * define — unknown allele, uncertain function, missing copy number — is Indeterminate with a reason.
 */
import type { AlleleCall, ResultStatus } from './types';
import type { IndexedGene, RawPhenotype } from './gene-knowledge';
import { resolveAllele } from './star-allele';
import {
  activityArithmetic,
  formatActivity,
  parseActivity,
  sumActivities,
  twoLowest,
  type Activity,
} from './activity-score';

export const INDETERMINATE = 'Indeterminate';

export interface Interpretation {
  status: ResultStatus;
  diplotype?: string;
  alleles: AlleleCall[];
  phenotype: string;
  lookupKey?: string;
  /** carrier genes: one key per CPIC allele ("*57:01 positive", "*58:01 negative") */
  lookupKeys?: string[];
  activityScore?: string;
  activityArithmetic?: string;
  reason?: string;
}

const indeterminate = (reason: string, rest: Partial<Interpretation> = {}): Interpretation => ({
  status: 'indeterminate',
  alleles: [],
  ...rest,
  phenotype: INDETERMINATE,
  reason,
});

const fromRule = (rule: RawPhenotype | undefined, base: Partial<Interpretation>, why: string): Interpretation => {
  if (!rule) return indeterminate(why, base);
  if (rule.lookupKey === undefined || rule.phenotype === INDETERMINATE) {
    return indeterminate(`CPIC assigns no phenotype to ${why.replace(/^no CPIC rule for /, '')}`, base);
  }
  return { status: 'determinate', alleles: [], ...base, phenotype: rule.phenotype, lookupKey: rule.lookupKey };
};

/** CPIC writes diplotypes in table order ("*1/*2", never "*2/*1"): order tokens the same way. */
function ordered(gene: IndexedGene, names: string[]): string[] {
  const rank = (n: string): number => gene.order.get(n) ?? Number.MAX_SAFE_INTEGER;
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function unknownAlleles(gene: IndexedGene, tokens: string[]): string | undefined {
  const unknown = tokens.filter((t) => !resolveAllele(t, gene));
  if (unknown.length === 0) return undefined;
  return `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in CPIC's ${gene.gene} allele table (${gene.version})`;
}

const call = (gene: IndexedGene, name: string): AlleleCall => {
  const a = gene.alleles[name];
  return {
    name,
    ...(a?.function ? { function: a.function } : {}),
    ...(a?.activityValue ? { activityValue: a.activityValue } : {}),
  };
};

function functionPair(gene: IndexedGene, tokens: string[]): Interpretation {
  if (tokens.length !== 2) return indeterminate(`${gene.gene} needs two alleles, got ${tokens.length}`);
  const unknown = unknownAlleles(gene, tokens);
  if (unknown) return indeterminate(unknown, { diplotype: tokens.join('/') });
  const names = ordered(gene, tokens.map((t) => resolveAllele(t, gene)!));
  const alleles = names.map((n) => call(gene, n));
  const fns = alleles.map((a) => a.function ?? 'unknown function').sort();
  return fromRule(gene.pairRules?.[fns.join('|')], { diplotype: names.join('/'), alleles }, `no CPIC rule for ${fns.join(' + ')}`);
}

function single(gene: IndexedGene, tokens: string[]): Interpretation {
  const distinct = [...new Set(tokens)];
  // mitochondrial results are sometimes written diploid-style ("m.1555A>G/m.1555A>G"): same allele twice is one
  if (distinct.length !== 1) return indeterminate(`${gene.gene} is a single-allele gene; got ${tokens.join('/')}`);
  const unknown = unknownAlleles(gene, distinct);
  if (unknown) return indeterminate(unknown, { diplotype: distinct[0] });
  const name = resolveAllele(distinct[0]!, gene)!;
  const allele = call(gene, name);
  return fromRule(gene.singleRules?.[allele.function ?? ''], { diplotype: name, alleles: [allele] }, `no CPIC rule for ${allele.function}`);
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

function scorePhenotype(gene: IndexedGene, score: Activity): RawPhenotype | undefined {
  const text = formatActivity(score);
  if (gene.scoreRules) return gene.scoreRules[text];
  const range = gene.scoreRanges?.find((r) => score.value >= r.min && (r.max === null || score.value <= r.max));
  if (!range) return undefined;
  if (score.atLeast && range.max !== null) return undefined;
  return { phenotype: range.phenotype, lookupKey: text };
}

function activityScore(gene: IndexedGene, tokens: string[]): Interpretation {
  let working = tokens;
  let note: string | undefined;
  if (gene.gene === 'DPYD' && tokens.length === 1 && gene.referenceAllele) working = [gene.referenceAllele, tokens[0]!];
  if (gene.gene === 'DPYD' && tokens.length > 2) {
    const unknown = unknownAlleles(gene, tokens);
    if (unknown) return indeterminate(unknown);
    const scored = tokens.map((t) => ({ t, activity: parseActivity(gene.alleles[resolveAllele(t, gene)!]?.activityValue) }));
    if (scored.some((s) => !s.activity)) return indeterminate('a DPYD variant has no CPIC activity value');
    working = twoLowest(scored as { t: string; activity: Activity }[]).map((s) => s.t);
    note = `CPIC DPYD rule: score from the two lowest-function variants of ${tokens.join(', ')}`;
  }
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
      const rule = scorePhenotype(gene, total);
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

function xLinked(gene: IndexedGene, tokens: string[]): Interpretation {
  return tokens.length === 1 ? single(gene, tokens) : functionPair(gene, tokens);
}

/** HLA: which CPIC alleles the reported alleles carry (two-field match: "*57:01:01" carries "*57:01"). */
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

/** Interpret allele tokens (from parseDiplotype) with the gene's CPIC method. */
export function interpretAlleles(gene: IndexedGene, tokens: string[]): Interpretation {
  switch (gene.method) {
    case 'function-pair':
      return functionPair(gene, tokens);
    case 'activity-score':
      return activityScore(gene, tokens);
    case 'single-allele':
      return single(gene, tokens);
    case 'x-linked':
      return xLinked(gene, tokens);
    case 'carrier':
      return carrierFromAlleles(gene, tokens);
  }
}

/**
 * A lab-reported phenotype ("Poor metabolizer", "CYP2C19 Intermediate Metabolizer") → CPIC term + key,
 * only when unambiguous. Activity-score genes: a phenotype spans several keys, so it maps only when a score
 * is given too (else undefined).
 */
export function mapReportedPhenotype(gene: IndexedGene, text: string): RawPhenotype | undefined {
  const clean = text
    .toLowerCase()
    .replace(gene.gene.toLowerCase(), '')
    .replace(/metaboliser/g, 'metabolizer')
    .replace(/\s+/g, ' ')
    .trim();
  const term = gene.phenotypeTerms.get(clean);
  return term?.lookupKey ? term : undefined;
}

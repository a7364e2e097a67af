/**
 * The patient's genomics, interpreted: FHIR Observations → one GeneResult per gene. Genotypes are always
 * re-interpreted with the current CPIC tables; lab phenotypes are kept as `reportedPhenotype`. Several
 * results for a gene are ranked (amended/corrected > final > preliminary, then newest); disagreement
 * between equally current results is shown as a conflict and makes the gene indeterminate.
 */
import type { Observation } from 'fhir/r4';
import type { GeneResult, GenomicProfile, ObservationRef } from './types';
import type { GeneKnowledge, IndexedGene } from './gene-knowledge';
import { geneOf, observationKey, readObservation, type Finding } from './genomics-observations';
import { parseDiplotype } from './star-allele';
import { INDETERMINATE, interpretAlleles, interpretReportedPhenotype, type Interpretation } from './phenotype';
import { methodOf } from './methods';
import { carrierResult } from './methods/carrier';

/** A result the engine could not use, with why (other patient, entered-in-error, unknown encoding). */
export interface GenomicsNote {
  gene?: string;
  source: ObservationRef;
  reason: string;
}

export interface GenomicsInterpretation {
  profile: GenomicProfile;
  notes: GenomicsNote[];
}

const STATUS_RANK: Record<string, number> = { amended: 3, corrected: 3, final: 2, preliminary: 1, registered: 0 };
const rankOf = (ref: ObservationRef): number => STATUS_RANK[ref.status ?? ''] ?? 0;
const timeOf = (ref: ObservationRef): number => (ref.date ? Date.parse(ref.date) || 0 : 0);

/** Newest best-status first; ties broken by id so the choice never depends on input order. */
const byPrecedence = (a: { sources: ObservationRef[] }, b: { sources: ObservationRef[] }): number => {
  const ra = a.sources[0]!;
  const rb = b.sources[0]!;
  return rankOf(rb) - rankOf(ra) || timeOf(rb) - timeOf(ra) || ((ra.id ?? '') < (rb.id ?? '') ? -1 : (ra.id ?? '') > (rb.id ?? '') ? 1 : 0);
};

interface Unit {
  interpretation: Interpretation;
  sources: ObservationRef[];
}

const verdict = (i: Interpretation): string => (i.status === 'determinate' ? `${i.phenotype}|${i.lookupKey}` : INDETERMINATE);

/**
 * A genotype's interpretation depends only on the gene's tables and the reported text, and the same few
 * diplotypes recur across patients: interpret each once per loaded table, kept in the table's own cache.
 * Frozen, so a consumer that tried to edit a shared result would fail loudly instead of corrupting the next
 * patient's. Bounded per gene.
 */
const MAX_CACHED_PER_GENE = 2048;

function interpretGenotype(gene: IndexedGene, genotype: string): Interpretation {
  const cache = gene.interpretations;
  const hit = cache.get(genotype);
  if (hit) return hit;
  const parsed = parseDiplotype(genotype, gene);
  const interpretation: Interpretation = parsed.ok
    ? interpretAlleles(gene, parsed.tokens)
    : { status: 'indeterminate', alleles: [], phenotype: INDETERMINATE, reason: `unreadable genotype: ${parsed.reason}` };
  if (cache.size >= MAX_CACHED_PER_GENE) cache.clear();
  cache.set(genotype, deepFreeze(interpretation));
  return interpretation;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function genotypeUnit(gene: IndexedGene, f: Finding): Unit {
  return { interpretation: interpretGenotype(gene, f.genotype!), sources: [f.ref] };
}

/** Haplotype observations from one test (same date) pair into a diplotype. */
function haplotypeUnits(gene: IndexedGene, findings: Finding[]): Unit[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.ref.date ?? ''}|${f.ref.status ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const units: Unit[] = [];
  for (const group of groups.values()) {
    const tokens = group.flatMap((f) => {
      const parsed = parseDiplotype(f.haplotype!.name, gene, 1);
      const token = parsed.ok ? parsed.tokens[0]! : f.haplotype!.name;
      return f.haplotype!.copies === 2 ? [token, token] : [token];
    });
    const sources = group.map((f) => f.ref).sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1));
    if (tokens.length === 2 || (tokens.length === 1 && methodOf(gene).oneAlleleIsComplete)) {
      units.push({ interpretation: interpretAlleles(gene, tokens), sources });
    } else {
      units.push({
        interpretation: {
          status: 'indeterminate',
          alleles: [],
          phenotype: INDETERMINATE,
          reason: `${tokens.length} haplotype(s) reported together; a diplotype needs two (or one homozygous)`,
        },
        sources,
      });
    }
  }
  return units;
}

/** Variant observations: single-variant genes by rsID genotype; a method that reads a variant list (DPYD) by it. */
function variantUnits(gene: IndexedGene, findings: Finding[]): Unit[] {
  const units: Unit[] = [];
  if (findings.length === 0) return units;
  const fromVariants = methodOf(gene).fromVariants;
  if (fromVariants) {
    const found = findings.filter((f) => f.variant!.present).map((f) => ({ id: f.variant!.id, homozygous: f.variant!.state === 'homozygous' }));
    const tokens = fromVariants(gene, found);
    if (tokens) units.push({ interpretation: interpretAlleles(gene, tokens), sources: findings.map((f) => f.ref) });
    return units;
  }
  for (const f of findings) {
    const v = f.variant!;
    if (gene.variant && v.id.toLowerCase().includes(gene.variant.rsid) && v.genotype) {
      units.push(genotypeUnit(gene, { ...f, genotype: `${gene.variant.rsid} ${v.genotype}` }));
    } else {
      units.push({
        interpretation: {
          status: 'indeterminate',
          alleles: [],
          phenotype: INDETERMINATE,
          reason: `variant ${v.id} alone does not determine a CPIC ${gene.gene} result`,
        },
        sources: [f.ref],
      });
    }
  }
  return units;
}

/** HLA: merge per-allele carriage statements and typed alleles; the newest best-status call per allele wins. */
function carrierUnit(gene: IndexedGene, findings: Finding[], typed: Unit[]): Unit & { conflict?: GeneResult['conflict'] } {
  const calls: { allele: string; positive: boolean; ref: ObservationRef }[] = [];
  for (const f of findings) if (f.carrier) calls.push({ ...f.carrier, ref: f.ref });
  for (const u of typed) {
    for (const key of u.interpretation.lookupKeys ?? []) {
      const [allele, word] = key.split(' ');
      calls.push({ allele: allele!, positive: word === 'positive', ref: u.sources[0]! });
    }
  }
  const relevant = calls.filter((c) => gene.carrierAlleles?.includes(c.allele));
  const chosen: { allele: string; positive: boolean }[] = [];
  let conflict: GeneResult['conflict'];
  for (const allele of gene.carrierAlleles ?? []) {
    const mine = relevant.filter((c) => c.allele === allele).sort((a, b) => byPrecedence({ sources: [a.ref] }, { sources: [b.ref] }));
    if (mine.length === 0) continue;
    const top = mine.filter((c) => rankOf(c.ref) === rankOf(mine[0]!.ref));
    if (new Set(top.map((c) => c.positive)).size > 1) {
      conflict = {
        diplotypes: [],
        phenotypes: top.map((c) => `${gene.gene}${c.allele} ${c.positive ? 'positive' : 'negative'}`),
        resolution: `equally current results disagree on ${gene.gene}${allele}: indeterminate`,
      };
      continue;
    }
    chosen.push({ allele, positive: mine[0]!.positive });
  }
  const sources = [...findings.map((f) => f.ref), ...typed.flatMap((u) => u.sources)];
  const interpretation = conflict
    ? { status: 'indeterminate' as const, alleles: [], phenotype: INDETERMINATE, reason: conflict.resolution }
    : chosen.length === 0
      ? {
          status: 'indeterminate' as const,
          alleles: [],
          phenotype: INDETERMINATE,
          reason: typed.find((u) => u.interpretation.status === 'indeterminate')?.interpretation.reason ??
            `no result for ${(gene.carrierAlleles ?? []).map((a) => gene.gene + a).join(', ')}`,
        }
      : carrierResult(gene, chosen, typed[0]?.interpretation.diplotype?.split('/'));
  return { interpretation, sources, ...(conflict ? { conflict } : {}) };
}

/** A phenotype-only result: CPIC term and key where unambiguous. */
function phenotypeUnit(gene: IndexedGene, f: Finding): Unit {
  return { interpretation: interpretReportedPhenotype(gene, f.phenotype!), sources: [f.ref] };
}

/** Pick the newest best-status unit; equally current units that disagree → conflict. */
function choose(units: Unit[]): { chosen: Unit; conflict?: GeneResult['conflict']; superseded?: GeneResult['conflict'] } {
  const sorted = [...units].sort(byPrecedence);
  const chosen = sorted[0]!;
  const determinate = sorted.filter((u) => u.interpretation.status === 'determinate');
  if (determinate.length < 2) return { chosen };
  const summary = (list: Unit[]) => ({
    diplotypes: [...new Set(list.map((u) => u.interpretation.diplotype).filter((d): d is string => !!d))],
    phenotypes: [...new Set(list.map((u) => u.interpretation.phenotype))],
  });
  const topRank = rankOf(determinate[0]!.sources[0]!);
  const current = determinate.filter((u) => rankOf(u.sources[0]!) === topRank);
  if (new Set(current.map((u) => verdict(u.interpretation))).size > 1) {
    return { chosen, conflict: { ...summary(current), resolution: 'equally current results disagree: indeterminate until resolved' } };
  }
  if (new Set(determinate.map((u) => verdict(u.interpretation))).size > 1) {
    return { chosen, superseded: { ...summary(determinate), resolution: `older or lower-status results disagree; using the ${determinate[0]!.sources[0]!.status ?? 'newest'} result` } };
  }
  return { chosen };
}

function toResult(gene: string, u: Unit, sources: ObservationRef[]): GeneResult {
  const i = u.interpretation;
  return {
    gene,
    status: i.status,
    ...(i.diplotype ? { diplotype: i.diplotype } : {}),
    alleles: i.alleles,
    ...(i.activityScore ? { activityScore: i.activityScore } : {}),
    ...(i.activityArithmetic ? { activityArithmetic: i.activityArithmetic } : {}),
    phenotype: i.phenotype,
    ...(i.status === 'determinate' && i.lookupKey ? { lookupKey: i.lookupKey } : {}),
    ...(i.lookupKeys ? { lookupKeys: i.lookupKeys } : {}),
    ...(i.reason ? { reason: i.reason } : {}),
    sources,
  };
}

const appendReason = (r: GeneResult, text: string): void => {
  r.reason = r.reason ? `${r.reason}; ${text}` : text;
};

function interpretGene(gene: IndexedGene, findings: Finding[]): GeneResult {
  const sources = [...findings.map((f) => f.ref)].sort((a, b) => byPrecedence({ sources: [a] }, { sources: [b] }));
  const genotypes = findings.filter((f) => f.genotype).map((f) => genotypeUnit(gene, f));
  const haplotypes = haplotypeUnits(gene, findings.filter((f) => f.haplotype));
  const variants = variantUnits(gene, findings.filter((f) => f.variant));
  const typed = [...genotypes, ...haplotypes, ...variants];
  const phenotypes = findings.filter((f) => f.phenotype);

  let result: GeneResult;
  if (methodOf(gene).perAllele) {
    const merged = carrierUnit(gene, findings.filter((f) => f.carrier), typed);
    result = toResult(gene.gene, merged, sources);
    if (merged.conflict) result.conflict = merged.conflict;
  } else if (typed.length > 0) {
    const { chosen, conflict, superseded } = choose(typed);
    result = toResult(gene.gene, chosen, sources);
    if (conflict) markConflicting(result, conflict, 'conflicting results');
    else if (superseded) result.conflict = superseded;
  } else if (phenotypes.length > 0) {
    const { chosen, conflict } = choose(phenotypes.map((f) => phenotypeUnit(gene, f)));
    result = toResult(gene.gene, chosen, sources);
    if (conflict) markConflicting(result, conflict, 'conflicting reported phenotypes');
  } else {
    result = { gene: gene.gene, status: 'indeterminate', alleles: [], phenotype: INDETERMINATE, sources };
  }

  // a result that is not final yet: the advice from it must say so
  const best = sources[0]?.status;
  if (result.status === 'determinate' && (best === 'preliminary' || best === 'registered')) result.provisional = best;

  // the lab's own phenotype: kept, and compared with what the current tables say
  if (phenotypes.length > 0) {
    const reported = [...phenotypes].sort((a, b) => byPrecedence({ sources: [a.ref] }, { sources: [b.ref] }))[0]!;
    result.reportedPhenotype = reported.phenotype!;
    if (typed.length > 0 && result.status === 'determinate') {
      const reportedTerm = reported.phenotype!.toLowerCase().replace(/metaboliser/g, 'metabolizer').replace(gene.gene.toLowerCase(), '').trim();
      // the reclassification has its own fields (rendered once), so it is not repeated in `reason`
      if (!reportedTerm.startsWith(result.phenotype.toLowerCase())) {
        result.reclassified = true;
        result.reclassifiedWith = gene.version;
      }
    } else if (typed.length > 0 && result.status !== 'determinate') {
      // say why the lab's own phenotype does not settle it either
      const own = phenotypeUnit(gene, reported).interpretation;
      appendReason(
        result,
        own.status === 'determinate'
          ? `lab reported "${reported.phenotype}", not used alone while its genotype cannot be interpreted`
          : `lab reported "${reported.phenotype}": ${own.reason}`,
      );
    }
  }
  return result;
}

/** Interpret with the notes on results that could not be used (for audit and the data-gap card). */
export function interpretGenomicsDetailed(observations: Observation[], patientId: string, kb: GeneKnowledge): GenomicsInterpretation {
  const byGene = new Map<string, Finding[]>();
  const notes: GenomicsNote[] = [];
  const unreadableByGene = new Map<string, GenomicsNote[]>();
  // gene of each result by its id, for results that name their gene only through derivedFrom
  let genesById: Map<string, string | undefined> | undefined;
  const derivedGene = (reference: string): string | undefined => {
    if (!genesById) {
      genesById = new Map();
      for (const o of observations) if (o.id) genesById.set(`Observation/${o.id}`, geneOf(o, kb));
    }
    const key = observationKey(reference);
    return key ? genesById.get(key) : undefined;
  };
  for (const obs of observations) {
    const read = readObservation(obs, patientId, kb, derivedGene);
    if (read.kind === 'findings') {
      for (const f of read.findings) byGene.set(f.gene, [...(byGene.get(f.gene) ?? []), f]);
    } else if (read.kind === 'ignored') {
      const gene = geneOf(obs, kb);
      notes.push({ ...(gene ? { gene } : {}), source: read.ref, reason: read.reason });
    } else {
      const note: GenomicsNote = { ...(read.gene ? { gene: read.gene } : {}), source: read.ref, reason: read.reason };
      notes.push(note);
      if (read.gene) unreadableByGene.set(read.gene, [...(unreadableByGene.get(read.gene) ?? []), note]);
    }
  }
  const profile: GenomicProfile = {};
  for (const symbol of [...new Set([...byGene.keys(), ...unreadableByGene.keys()])].sort()) {
    const gene = kb.genes.get(symbol);
    if (!gene) continue;
    const result = interpretGene(gene, byGene.get(symbol) ?? []);
    for (const n of unreadableByGene.get(symbol) ?? []) {
      result.sources.push(n.source);
      appendReason(result, `unreadable result: ${n.reason}`);
    }
    profile[symbol] = result;
  }
  // say on the gene's result that something was left out (no detail about whose result it was)
  for (const n of notes) {
    const r = n.gene ? profile[n.gene] : undefined;
    if (r && !r.sources.includes(n.source) && !(r.reason ?? '').includes(`ignored a result: ${n.reason}`)) {
      appendReason(r, `ignored a result: ${n.reason}`);
    }
  }
  return { profile, notes };
}

/** The patient's interpreted genomics: gene symbol → result. Pure. */
export function interpretGenomics(observations: Observation[], patientId: string, kb: GeneKnowledge): GenomicProfile {
  return interpretGenomicsDetailed(observations, patientId, kb).profile;
}

/**
 * Coarse category of a result, for callers that reason across genes (e.g. phenoconversion): 'poor',
 * 'intermediate', 'normal', 'rapid', 'ultrarapid', 'likely-poor', 'likely-intermediate',
 * 'possible-intermediate', 'decreased', 'possible-decreased', 'increased', 'positive', 'negative',
 * 'deficient', 'variable', 'other', or 'indeterminate'.
 */
export function phenotypeCategory(result: GeneResult): string {
  if (result.status !== 'determinate') return 'indeterminate';
  const p = result.phenotype.toLowerCase();
  if (result.lookupKeys) return result.lookupKeys.some((k) => k.endsWith('positive')) ? 'positive' : 'negative';
  const qualifier = p.startsWith('likely ') ? 'likely-' : p.startsWith('possible ') ? 'possible-' : '';
  const core = p.replace(/^(likely|possible) /, '');
  const map: [RegExp, string][] = [
    [/^poor (metabolizer|function)/, 'poor'],
    [/^intermediate metabolizer/, 'intermediate'],
    [/^normal (metabolizer|function)|^normal$/, 'normal'],
    [/^rapid metabolizer/, 'rapid'],
    [/^ultrarapid metabolizer/, 'ultrarapid'],
    [/^decreased function/, 'decreased'],
    [/^increased function/, 'increased'],
    [/^deficient/, 'deficient'],
    [/^variable/, 'variable'],
  ];
  for (const [re, name] of map) if (re.test(core)) return `${qualifier}${name}`;
  return 'other';
}

/** Two equally current results disagree: say so and decide nothing (never pick one silently). */
function markConflicting(result: GeneResult, conflict: NonNullable<GeneResult['conflict']>, what: string): void {
  result.status = 'indeterminate';
  result.phenotype = INDETERMINATE;
  delete result.lookupKey;
  result.conflict = conflict;
  appendReason(result, `${what}: ${conflict.phenotypes.join(' vs ')}`);
}

/**
 * Judge one oncology order against the companion-diagnostic table: which of the drug's listed indications fits
 * the patient's coded cancer, and whether the tumour results confirm, contradict, or do not settle its
 * biomarker. Pure. Never "negative" by default: a result the table cannot place is indeterminate, with why.
 */
import type { Condition } from 'fhir/r4';
import { ICD10_CM, SNOMED_CT } from '../fhir/systems';
import type { OncologyKnowledge } from './knowledge';
import type { ConditionSet, Indication, OncologyAssessment, OncologyDrug, Requirement, TumourFinding, TumourProfile } from './types';

function activeCondition(c: Condition): boolean {
  const clinical = c.clinicalStatus?.coding?.[0]?.code;
  const verification = c.verificationStatus?.coding?.[0]?.code;
  if (clinical && !['active', 'recurrence', 'relapse'].includes(clinical)) return false;
  return !verification || !['refuted', 'entered-in-error'].includes(verification);
}

const categoryOf = (code: string) => code.replace('.', '').slice(0, 3).toUpperCase();

export function conditionMatches(set: ConditionSet, c: Condition): boolean {
  for (const coding of c.code?.coding ?? []) {
    if (!coding.code) continue;
    if (coding.system === ICD10_CM) {
      const code = coding.code.toUpperCase();
      if (set.icd10.some((p) => code.startsWith(p))) return true;
      if (set.icd10Range) {
        const cat = categoryOf(code);
        if (/^C\d\d$/.test(cat) && cat >= set.icd10Range[0] && cat <= set.icd10Range[1]) return true;
      }
    }
    if (coding.system === SNOMED_CT && set.snomed.includes(coding.code)) return true;
  }
  return false;
}

/** Is this a cancer diagnosis at all (ICD-10-CM C00–C96 or any condition set of the table)? */
function isCancer(c: Condition, kb: OncologyKnowledge): boolean {
  if ((c.code?.coding ?? []).some((x) => x.system === ICD10_CM && /^C\d/i.test(x.code ?? ''))) return true;
  return [...kb.conditions.values()].some((s) => conditionMatches(s, c));
}

const originOk = (f: TumourFinding, r: Requirement): boolean =>
  r.origin === 'germline-or-somatic' ? true : r.origin === 'germline' ? f.origin === 'germline' : f.origin !== 'germline';

type Judgement = { status: 'confirmed' | 'contrary' | 'not-on-file' | 'indeterminate'; evidence: TumourFinding[]; reason: string };

function describe(f: TumourFinding): string {
  const what =
    f.proteinShort ?? f.protein ?? f.cdna ?? f.text ?? (f.quantity !== undefined ? `${f.quantity}${f.unit ? ` ${f.unit}` : ''}` : f.kind === 'variant' ? 'variant (change not stated)' : 'result');
  return `${f.genes.join('-') || f.kind.toUpperCase()} ${what}`.trim();
}

/** does a present variant match one of the accepted variant names? true / false / undefined (cannot tell) */
function variantMatches(f: TumourFinding, accepted: string[]): boolean | undefined {
  const short = f.proteinShort?.toUpperCase();
  const text = `${f.text ?? ''} ${f.protein ?? ''} ${f.cdna ?? ''}`.toLowerCase();
  for (const a of accepted) {
    const al = a.toLowerCase();
    if (al === 'deleterious' || al === 'activating') {
      if (f.pathogenic === true) return true;
      continue;
    }
    if (/^[a-z]\d+[a-z*]?$/i.test(a) || /^[a-z]\d+x$/i.test(a) || /_/.test(a)) {
      // protein change: exact ("L858R"), codon ("R132" matches R132H) or any substitution ("G719X")
      if (!short) continue;
      const A = a.toUpperCase();
      if (short === A) return true;
      if (/^[A-Z]\d+$/.test(A) && short.startsWith(A) && /^[A-Z*]$/.test(short.slice(A.length))) return true;
      if (/^[A-Z]\d+X$/.test(A) && short.startsWith(A.slice(0, -1)) && short.length === A.length) return true;
      continue;
    }
    // named class ("exon 19 deletion", "exon 14 skipping"): matched on the lab's words only
    const words = al.split(' ');
    if (words.every((w) => text.includes(w.replace(/(deletion|skipping)$/, (m) => m.slice(0, 3))))) return true;
  }
  // "deleterious"/"activating" need the lab's pathogenicity call: without one the variant cannot be placed
  if (accepted.some((a) => ['deleterious', 'activating'].includes(a.toLowerCase())) && f.pathogenic === undefined) return undefined;
  // a named variant that is simply not among the accepted ones; with neither protein change nor words: unknown
  return short || text.trim() ? false : undefined;
}

export function judgeRequirement(r: Requirement, profile: TumourProfile): Judgement {
  const about = (f: TumourFinding) => f.genes.some((g) => r.genes.includes(g));
  const unplaced = profile.unplaced.filter((u) => u.genes.length === 0 || u.genes.some((g) => r.genes.includes(g)));
  switch (r.kind) {
    case 'variant': {
      const results = profile.findings.filter((f) => (f.kind === 'variant' || f.kind === 'fusion') && about(f));
      const usable = results.filter((f) => originOk(f, r));
      const present = usable.filter((f) => f.present === true && f.kind === 'variant');
      const hits = present.filter((f) => variantMatches(f, r.variants) === true);
      if (hits.length) return { status: 'confirmed', evidence: hits, reason: `${hits.map(describe).join(', ')} — the label's biomarker (${r.variants.join(' / ')})` };
      const unknown = present.filter((f) => variantMatches(f, r.variants) === undefined);
      if (unknown.length) return { status: 'indeterminate', evidence: unknown, reason: `${unknown.map(describe).join(', ')} cannot be placed against the label's ${r.variants.join(' / ')} (protein change or significance not stated)` };
      if (present.length) return { status: 'indeterminate', evidence: present, reason: `${present.map(describe).join(', ')} found, but it is not one of the label's variants (${r.variants.join(' / ')}): not confirmed, and not proof the drug is wrong` };
      const negatives = usable.filter((f) => f.present === false);
      if (negatives.length) return { status: 'contrary', evidence: negatives, reason: `${r.genes.join('/')} tested without the required variant (${r.variants.join(' / ')})` };
      if (results.length) return { status: 'indeterminate', evidence: results, reason: `only ${results.map((f) => f.origin).join('/')} ${r.genes.join('/')} results on file; the label requires ${r.origin === 'somatic' ? 'a tumour (somatic)' : r.origin} result` };
      break;
    }
    case 'wild-type': {
      const results = profile.findings.filter((f) => f.kind === 'variant' && about(f) && f.origin !== 'germline');
      const mutant = results.filter((f) => f.present === true);
      if (mutant.length) return { status: 'contrary', evidence: mutant, reason: `${mutant.map(describe).join(', ')}: the label requires ${r.genes.join('/')} wild-type` };
      const tested = r.genes.filter((g) => results.some((f) => f.present === false && f.genes.includes(g)));
      if (tested.length === r.genes.length) return { status: 'confirmed', evidence: results.filter((f) => f.present === false), reason: `${r.genes.join(' and ')} tested: no mutation (wild-type)` };
      if (tested.length) return { status: 'indeterminate', evidence: results, reason: `${tested.join(', ')} wild-type, but ${r.genes.filter((g) => !tested.includes(g)).join(', ')} not tested: wild-type status needs every gene` };
      break;
    }
    case 'fusion': {
      const results = profile.findings.filter((f) => (f.kind === 'fusion' || f.kind === 'variant') && about(f) && f.origin !== 'germline');
      const fusions = results.filter((f) => f.kind === 'fusion' && f.present === true);
      if (fusions.length) return { status: 'confirmed', evidence: fusions, reason: `${fusions.map((f) => `${f.genes.join('-')} fusion`).join(', ')} on file` };
      const negatives = results.filter((f) => f.present === false);
      if (negatives.length) return { status: 'contrary', evidence: negatives, reason: `${r.genes.join('/')} tested: no rearrangement` };
      if (results.length) return { status: 'indeterminate', evidence: results, reason: `${r.genes.join('/')} results on file, none a fusion the table can place` };
      break;
    }
    case 'her2-positive': {
      const results = profile.findings.filter((f) => f.kind === 'her2' || (f.kind === 'copy-number' && f.genes.includes('ERBB2')));
      const pos = results.filter((f) => f.present === true);
      if (pos.length) return { status: 'confirmed', evidence: pos, reason: `HER2 positive (${pos.map((f) => f.text ?? 'positive').join(', ')})` };
      const eq = results.filter((f) => f.present === undefined);
      if (eq.length) return { status: 'indeterminate', evidence: eq, reason: `HER2 result equivocal or unreadable (${eq.map((f) => f.text ?? '?').join(', ')}): reflex testing (ISH) settles it` };
      if (results.length) return { status: 'contrary', evidence: results, reason: 'HER2 negative' };
      break;
    }
    case 'her2-low': {
      // IHC 1+, or IHC 2+ with a negative ISH (the lab then calls the result negative): read from the lab's words
      const results = profile.findings.filter((f) => f.kind === 'her2');
      const score = (f: TumourFinding) => /(?:^|[^\d])([0123])\s*\+/.exec(f.text ?? '')?.[1] ?? /\bIHC\s*0\b/i.exec(f.text ?? '')?.[0].slice(-1);
      const pos = results.filter((f) => f.present === true);
      if (pos.length) return { status: 'contrary', evidence: pos, reason: 'HER2 positive: the HER2-low indication is for IHC 1+ or IHC 2+/ISH-negative tumours (the HER2-positive indication applies instead)' };
      const low = results.filter((f) => f.present === false && ['1', '2'].includes(score(f) ?? ''));
      if (low.length) return { status: 'confirmed', evidence: low, reason: `HER2-low (${low.map((f) => f.text).join(', ')})` };
      const zero = results.filter((f) => f.present === false && score(f) === '0');
      if (zero.length) return { status: 'contrary', evidence: zero, reason: `HER2 IHC 0 (${zero.map((f) => f.text).join(', ')}): not HER2-low` };
      if (results.length) return { status: 'indeterminate', evidence: results, reason: 'HER2 result without an IHC score (or equivocal): HER2-low needs IHC 1+, or IHC 2+ with a negative ISH' };
      break;
    }
    case 'pdl1': {
      const results = profile.findings.filter((f) => f.kind === 'pdl1');
      const scored = results.filter((f) => f.quantity !== undefined);
      const ok = scored.filter((f) => f.quantity! >= r.min!);
      if (ok.length) return { status: 'confirmed', evidence: ok, reason: `PD-L1 ${ok[0]!.quantity}% (≥ ${r.min}%${r.scoring ? ` ${r.scoring}` : ''})` };
      if (scored.length) return { status: 'contrary', evidence: scored, reason: `PD-L1 ${scored.map((f) => `${f.quantity}%`).join(', ')}: below ${r.min}%` };
      if (results.length) return { status: 'indeterminate', evidence: results, reason: `PD-L1 reported without a score; the indication needs ≥ ${r.min}%` };
      break;
    }
    case 'tmb': {
      const results = profile.findings.filter((f) => f.kind === 'tmb');
      const ok = results.filter((f) => f.quantity! >= r.min!);
      if (ok.length) return { status: 'confirmed', evidence: ok, reason: `TMB ${ok[0]!.quantity} mut/Mb (≥ ${r.min})` };
      if (results.length) return { status: 'contrary', evidence: results, reason: `TMB ${results.map((f) => f.quantity).join(', ')} mut/Mb: below ${r.min}` };
      break;
    }
    case 'msi-high': {
      const results = profile.findings.filter((f) => f.kind === 'msi');
      const high = results.filter((f) => f.present === true);
      if (high.length) return { status: 'confirmed', evidence: high, reason: `MSI-high (${high.map((f) => f.text ?? 'MSI-H').join(', ')})` };
      const unknown = results.filter((f) => f.present === undefined);
      if (unknown.length) return { status: 'indeterminate', evidence: unknown, reason: 'MSI result could not be read as high or stable' };
      if (results.length) return { status: 'contrary', evidence: results, reason: 'microsatellite stable' };
      break;
    }
  }
  if (unplaced.length) return { status: 'indeterminate', evidence: [], reason: `a result could not be read: ${unplaced.map((u) => u.reason).join('; ')}` };
  return { status: 'not-on-file', evidence: [], reason: 'no result for this biomarker on file' };
}

// an untested biomarker of another fitting indication says more ("test it") than one below threshold
const rankOf: Record<Judgement['status'], number> = { confirmed: 0, indeterminate: 1, 'not-on-file': 2, contrary: 3 };

export function assessOncologyOrder(drug: OncologyDrug, conditions: Condition[], profile: TumourProfile, kb: OncologyKnowledge): OncologyAssessment {
  const active = conditions.filter(activeCondition);
  const base = { drug, evidence: [] as TumourFinding[], supported: [] as OncologyAssessment['supported'], knowledgeVersion: kb.version };
  const cancers = active.filter((c) => isCancer(c, kb));
  if (cancers.length === 0) {
    return { ...base, verdict: 'no-cancer-coded', reason: 'no active cancer diagnosis is coded for the patient, so the indication cannot be checked' };
  }
  const fitting = drug.indications.filter((ind) => active.some((c) => conditionMatches(kb.conditions.get(ind.condition)!, c)));
  if (fitting.length === 0) {
    const listed = [...new Set(drug.indications.map((i) => kb.conditions.get(i.condition)!.display))].join(', ');
    return {
      ...base,
      verdict: 'indication-not-listed',
      reason: `the patient's coded cancer is not among ${drug.name}'s biomarker-selected indications in the table (${listed})${drug.otherIndicationsWithoutBiomarker ? '; the label has other indications without a biomarker that the table does not list' : ''}`,
    };
  }
  // the best-supported fitting indication speaks for the order
  const judged = fitting.map((ind) => ({ ind, j: judgeRequirement(ind.requires, profile) })).sort((a, b) => rankOf[a.j.status] - rankOf[b.j.status]);
  const { ind, j } = judged[0]!;
  const conditionDisplay = kb.conditions.get(ind.condition)!.display;
  const out: OncologyAssessment = {
    ...base,
    verdict: j.status === 'not-on-file' ? 'not-on-file' : j.status,
    indication: ind,
    conditionDisplay,
    evidence: j.evidence,
    reason: j.reason,
  };
  if (j.status === 'not-on-file' || j.status === 'indeterminate') out.test = ind.test;
  if (j.status === 'contrary' || j.status === 'indeterminate') out.supported = supportedTherapies(drug, active, profile, kb);
  return out;
}

/** Other drugs of the table whose biomarker the patient's results confirm, for a cancer the patient has. */
export function supportedTherapies(except: OncologyDrug, conditions: Condition[], profile: TumourProfile, kb: OncologyKnowledge): OncologyAssessment['supported'] {
  const out: OncologyAssessment['supported'] = [];
  for (const d of kb.table.drugs) {
    if (d === except) continue;
    for (const ind of d.indications as Indication[]) {
      if (!conditions.some((c) => conditionMatches(kb.conditions.get(ind.condition)!, c))) continue;
      const j = judgeRequirement(ind.requires, profile);
      if (j.status === 'confirmed') {
        out.push({ drug: d.name, indicationId: ind.id, evidence: j.evidence });
        break;
      }
    }
  }
  return out;
}

export { describe as describeFinding };

/**
 * Markdown renderings of the assessments. The card detail is a rendering of the same objects that the
 * decision was made from (and that the audit trail stores), so explanation and decision cannot drift.
 * Written for a prescriber who has ten seconds: the conclusion first, the evidence after.
 */
import type { BenefitAssessment, BenefitUnavailable, PaPreview, StepTherapyResult } from '../benefit/types';
import type { GeneResult, PgxAssessment, Recommendation } from '../pgx/types';
import type { OrderAssessment } from './assess-order';
import { mdCode, mdLink, mdText } from './escape';
import type { DataGap } from './types';
import { renderDoseEstimates } from './render-dose';
import { renderOtherGuidance } from './render-guidance';

/** every string from outside (FHIR data, plan data) goes through mdText / mdCode / mdLink (./escape) */
const esc = mdText;

function renderGeneResult(g: GeneResult): string[] {
  const lines: string[] = [];
  const src = g.sources
    .map((s) => [s.id && `Observation/${esc(s.id)}`, s.date && esc(s.date.slice(0, 10))].filter(Boolean).join(', '))
    .filter(Boolean)
    .join('; ');
  const head = `**${esc(g.gene)}**${g.diplotype ? ` ${mdCode(g.diplotype)}` : ''} → **${esc(g.phenotype)}**${src ? ` _(${src})_` : ''}`;
  lines.push(`- ${head}`);
  if (g.alleles.length) {
    const alleles = g.alleles
      .map((a) => `${esc(a.name)}: ${[a.function && esc(a.function), a.activityValue && `activity value ${esc(a.activityValue)}`].filter(Boolean).join(', ') || 'function not stated'}`)
      .join('; ');
    lines.push(`  - Alleles: ${alleles}`);
  }
  if (g.activityArithmetic) lines.push(`  - Activity score: ${esc(g.activityArithmetic)}`);
  if (g.reclassified && g.reportedPhenotype) {
    lines.push(
      `  - Lab reported _${esc(g.reportedPhenotype)}_; reclassified with current CPIC tables${g.reclassifiedWith ? ` (${esc(g.reclassifiedWith)})` : ''} to _${esc(g.phenotype)}_`,
    );
  }
  if (g.provisional) lines.push(`  - Result status: **${esc(g.provisional)}** — confirm before acting`);
  if (g.status === 'indeterminate' && g.reason) lines.push(`  - Indeterminate: ${esc(g.reason)}`);
  else if (g.reason) lines.push(`  - Note: ${esc(g.reason)}`);
  if (g.conflict) lines.push(`  - Conflicting results (${esc(g.conflict.diplotypes.join(' vs '))}): ${esc(g.conflict.resolution)}`);
  return lines;
}

const listWords = (xs: string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;

/** What to do, in plain words, from the recommendation's structured fields. */
function actionSentence(r: Recommendation, drug: string): string {
  const alts = r.alternatives.length ? listWords(r.alternatives) : '';
  switch (r.action) {
    case 'avoid':
      return `Avoid ${drug}${alts ? ` — use ${alts} instead` : ''}${r.dosing ? `; if it must be used: ${r.dosing.charAt(0).toLowerCase()}${r.dosing.slice(1)}` : ''}.`;
    case 'use-alternative':
      return `Use an alternative to ${drug}${alts ? ` (${alts})` : ''}: it is expected to work poorly.`;
    case 'consider-alternative':
      return `Consider an alternative to ${drug}${alts ? ` (${alts})` : ''}.`;
    case 'adjust-dose':
      return `Adjust the ${drug} dose: ${r.dosing ? `${r.dosing.charAt(0).toLowerCase()}${r.dosing.slice(1)}` : 'see the recommendation'}.`;
    case 'monitor':
      return r.indicator === 'info' ? `Standard ${drug} dosing; the usual monitoring applies.` : `Use ${drug} with caution and monitor closely.`;
    case 'standard':
      return `Standard ${drug} dosing.`;
    case 'no-recommendation':
      return `No genotype-based change for ${drug}.`;
  }
}

/** The results the advice rests on: "CYP2C19 `*2/*2` → Poor Metabolizer" (effective phenotype when converted). */
function resultWords(pgx: PgxAssessment): string {
  return pgx.genes
    .filter((g) => g.status === 'determinate')
    .map((g) => {
      const e = pgx.effectivePhenotypes.find((x) => x.gene === g.gene && x.cause && x.effectivePhenotype !== x.genotypePhenotype);
      return `${esc(g.gene)}${g.diplotype ? ` ${mdCode(g.diplotype)}` : ''} → ${esc(g.phenotype)}${e ? `, acts as ${esc(e.effectivePhenotype)} with ${esc(e.cause!.drug)}` : ''}`;
    })
    .join('; ');
}

/**
 * The first lines of the card: what to do and why, in plain words (the action, the result behind it, the
 * strength), then whether the result is final. The evidence follows in a fixed order: pharmacogenomics,
 * pharmacy benefit, what was not checked.
 */
export function renderHeadline(a: OrderAssessment, full: boolean): string[] {
  const { pgx } = a;
  const drug = esc(pgx.drug.cpicDrug ?? pgx.drug.display);
  const missing = pgx.missingGenes.join(', ');
  const r = pgx.recommendation;
  const out: string[] = [];
  switch (pgx.verdict) {
    case 'unrecognised':
    case 'no-guidance':
      break;
    case 'untested':
      if (a.gaps.length) {
        out.push(`**${missing} status unknown. Do not assume normal metabolism.**`, `Why: the genomic results could not be retrieved.`);
      } else if (pgx.partial) {
        const p = pgx.partial;
        out.push(`**${esc(p.headline)}**`);
        out.push(`Why: ${resultWords(pgx)}; no ${missing} result on file.`);
      } else {
        out.push(`**No ${missing} result on file — consider testing. Do not assume normal metabolism.**`);
        out.push(`Why: CPIC guidance for ${drug} depends on ${missing}.`);
      }
      break;
    case 'indeterminate': {
      const g = pgx.genes.find((x) => x.status === 'indeterminate');
      out.push(`**${g?.gene ?? 'Genomic'} result cannot be interpreted. Do not assume normal metabolism.**`);
      if (g?.reason) out.push(`Why: ${esc(g.reason)}.`);
      break;
    }
    default:
      if (r) {
        out.push(`**${actionSentence(r, drug)}**`);
        const why = resultWords(pgx);
        out.push(`Why: ${why ? `${why}; ` : ''}CPIC recommendation, ${esc(r.strength.toLowerCase())}.`);
      }
  }
  if (pgx.provisional?.length) {
    const genes = pgx.provisional.map((p) => `${esc(p.gene)} (${esc(p.status)})`).join(', ');
    const capped = r?.indicator === 'critical' || pgx.partial?.indicator === 'critical';
    out.push(
      `⚠️ **Preliminary — confirm before acting.** The result behind this advice is not final: ${genes}.${capped ? ' Shown as a warning, not critical, until a final result confirms it.' : ''}`,
    );
  }
  const b = a.benefit;
  if (b && !pgx.recommendation && !pgx.partial) {
    // benefit-only card: its first line is the coverage situation
    if (!b.status.covered) out.push(`**${esc(b.drug.display)} is not on the formulary.**`);
    else if (b.stepTherapy?.status === 'required') out.push(`**Step therapy required before ${esc(b.drug.display)}.**`);
    else if (full && b.priorAuth && b.priorAuth.pathway !== 'not-required') out.push(`**Prior authorization: ${pathwayWords[b.priorAuth.pathway]}.**`);
  }
  return out.length ? out.map((l, i) => (i < out.length - 1 ? `${l}  ` : l)) : [];
}

export function renderPgx(pgx: PgxAssessment, gaps: DataGap[]): string[] {
  const out: string[] = ['### Pharmacogenomics'];
  switch (pgx.verdict) {
    case 'unrecognised':
      out.push(`The ordered medication (${esc(pgx.drug.display)}) was not recognised, so no pharmacogenomic check was made.`);
      return out;
    case 'no-guidance':
      out.push(`No CPIC level A/B gene–drug guidance applies to ${esc(pgx.drug.display)}.`);
      return out;
    case 'untested':
      if (gaps.length) out.push(`Genomic results could not be retrieved: ${esc(gaps.map((g) => g.reason).join('; '))}.`);
      break;
    default:
      break;
  }
  for (const g of pgx.genes) out.push(...renderGeneResult(g));
  for (const e of pgx.effectivePhenotypes) {
    if (e.cause && e.effectivePhenotype !== e.genotypePhenotype) {
      out.push(
        `- **Phenoconversion**: ${e.gene} genotype predicts _${esc(e.genotypePhenotype)}_, but ${esc(e.cause.drug)} (${e.cause.strength} ${e.gene} inhibitor, active medication) makes the patient behave as _${esc(e.effectivePhenotype)}_. The recommendation uses the effective phenotype.`,
      );
    }
  }
  if (pgx.missingGenes.length) {
    out.push(`- No result for ${pgx.missingGenes.join(', ')} on file${pgx.verdict === 'untested' ? '' : ' (also relevant to this drug)'}.`);
  }
  const p = pgx.partial;
  if (p) {
    out.push('');
    out.push(`**Advice from the known result**: ${esc(p.text)}`);
    for (const o of p.options ?? []) out.push(`- ${esc(o.when)}: ${esc(o.advice)}`);
    out.push(`- Source: ${mdLink(p.source.label, p.source.url)}, ${esc(p.source.version)}`);
  }
  const r = pgx.recommendation;
  if (r) {
    out.push('');
    out.push(`**Recommendation** (${esc(r.strength)}): ${esc(r.text)}`);
    if (r.dosing) out.push(`- Dosing: ${esc(r.dosing)}`);
    if (r.alternatives.length) out.push(`- Alternatives per CPIC: ${esc(r.alternatives.join(', '))}`);
    out.push(
      `- Source: ${mdLink(r.guideline.title, r.guideline.url)}${r.guideline.pmid ? `, PMID ${esc(r.guideline.pmid)}` : ''}; CPIC data ${esc(r.guideline.version)}; rule ${mdCode(r.rowId)}`,
    );
  }
  // CPIC's advice is above when it gave a recommendation, or advice from the known result of a partial genotype
  if (pgx.otherGuidance?.length) out.push(...renderOtherGuidance(pgx.otherGuidance, !!r || p?.source.from === 'cpic'));
  if (pgx.doseEstimates?.length) out.push(...renderDoseEstimates(pgx.doseEstimates));
  out.push(`- Knowledge: ${esc(pgx.knowledgeVersion)}`);
  return out;
}

const pathwayWords: Record<PaPreview['pathway'], string> = {
  'not-required': 'not required',
  'auto-approvable': 'auto-approvable',
  'needs-documentation': 'needs documentation',
  'likely-denied': 'likely denied',
};

export const paPathwayWords = (p: PaPreview['pathway']): string => pathwayWords[p];

function renderStepTherapy(st: StepTherapyResult): string[] {
  const words = { exempt: 'EXEMPT', satisfied: 'satisfied', required: 'REQUIRED (not yet met)', 'not-applicable': 'not applicable' };
  const out = [`- **Step therapy** (${esc(st.protocolId)}): ${words[st.status]}`];
  for (const s of st.steps) out.push(`  - ${esc(s.drugOrClass)}: ${s.outcome} — ${esc(s.evidence)}`);
  return out;
}

function renderPa(pa: PaPreview, forDrug?: string): string[] {
  const mark = { met: '✅ met', 'not-met': '❌ not met', unknown: '❔ unknown' } as const;
  const what = forDrug ? `Prior authorization for ${esc(forDrug)}` : 'Prior authorization';
  const out = [`- **${what}** (${esc(pa.criteriaSetId)}): ${pathwayWords[pa.pathway]} — ${esc(pa.reason)}`];
  const line = (c: PaPreview['criteria'][number], m: string) => `${m}: ${esc(c.description)}${c.evidence ? ` (${esc(c.evidence)})` : ''}`;
  // criteria of one group are alternative pathways: once one is met, the others are not needed (never "not met")
  const groups = new Map<string, PaPreview['criteria']>();
  for (const c of pa.criteria) {
    const key = c.group ?? `#${c.id}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const members of groups.values()) {
    const first = members[0]!;
    if (!first.group || members.length === 1) {
      out.push(`  - ${line(first, mark[first.result])}`);
      continue;
    }
    const met = members.some((c) => c.result === 'met');
    out.push(`  - One of these (${met ? 'met' : 'none met yet'}):`);
    for (const c of members) out.push(`    - ${line(c, c.result !== 'met' && met ? '➖ not needed' : mark[c.result])}`);
  }
  if (pa.attachments.length) out.push(`  - Attach: ${esc(pa.attachments.join('; '))}`);
  for (const t of pa.timeframes) out.push(`  - ${esc(t.label)}: ${esc(t.value)} _(${esc(t.source)})_`);
  return out;
}

export function renderBenefit(
  b: BenefitAssessment | undefined,
  unavailable: BenefitUnavailable | undefined,
  opts: { full: boolean },
): string[] {
  const out: string[] = ['### Pharmacy benefit'];
  if (!b) {
    out.push(`Benefit could not be checked: ${esc(unavailable?.reason ?? 'no plan information')}. The pharmacogenomic advice above still applies.`);
    return out;
  }
  const s = b.status;
  const flags = [
    s.tier ? `tier ${esc(s.tier)}` : undefined,
    s.priorAuthorization ? 'prior authorization' : undefined,
    s.stepTherapy ? 'step therapy' : undefined,
    s.quantityLimit ? `quantity limit${s.quantityLimitDetail ? ` (${esc(s.quantityLimitDetail)})` : ''}` : undefined,
  ].filter(Boolean);
  out.push(
    `- **${esc(b.planName)}**: ${esc(b.drug.display)} is ${s.covered ? 'covered' : '**not on formulary**'}${flags.length ? ` — ${flags.join(', ')}` : ''}${s.ruleId ? ` (rule ${mdCode(s.ruleId)})` : ''}`,
  );
  if (b.stepTherapy && b.stepTherapy.status !== 'not-applicable') out.push(...renderStepTherapy(b.stepTherapy));
  if (opts.full && b.priorAuth && b.priorAuth.pathway !== 'not-required') out.push(...renderPa(b.priorAuth));
  else if (b.priorAuth && b.priorAuth.pathway !== 'not-required') {
    out.push(`- **Prior authorization**: ${pathwayWords[b.priorAuth.pathway]} (full preview at signing)`);
  }
  const alts = b.alternatives.slice(0, 3);
  if (alts.length) {
    out.push('- **Alternatives on formulary** (genomic fit first, then tier, then PA/step burden):');
    for (const a of alts) out.push(`  ${a.rank}. ${esc(a.drug.display)} — ${esc(a.why)}`);
    // at signing, preview the PA of the alternative we would recommend (the first genomically fit one)
    const best = alts.find((a) => !['contraindicated', 'expected-ineffective', 'indeterminate'].includes(a.pgx.verdict));
    if (opts.full && best?.priorAuth && best.priorAuth.pathway !== 'not-required') out.push(...renderPa(best.priorAuth, best.drug.display));
  }
  if (b.costShare) {
    out.push(`- Cost-share as ordered: ${esc(b.costShare.standard)}`);
    const p = b.costShare.precisionException;
    if (p) out.push(`- Precision cost-share: ${esc(p.drug)} at ${esc(p.costShare)} — ${esc(p.reason)}`);
  }
  if (b.specialtyPharmacy) {
    const sp = b.specialtyPharmacy;
    out.push(`- Dispensed by the plan's specialty pharmacy: **${esc(sp.name)}**${sp.phone ? ` (${esc(sp.phone)})` : ''} _(${esc(sp.source)})_`);
  }
  out.push(`- Plan data: ${esc(b.planId)} ${esc(b.planVersion)}`);
  return out;
}

export function renderGaps(gaps: DataGap[]): string[] {
  if (!gaps.length) return [];
  return ['### Not checked', ...gaps.map((g) => `- **${esc(g.key)}**: ${esc(g.reason)}`)];
}

export const GINA_NOTE =
  '_Genetic information was used only to judge the clinical appropriateness of this order — never for eligibility, premiums or tiers._';

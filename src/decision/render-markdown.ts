/**
 * Markdown renderings of the assessments. The card detail is a rendering of the same objects that the
 * decision was made from (and that the audit trail stores), so explanation and decision cannot drift.
 * Written for a prescriber who has ten seconds: the conclusion first, the evidence after.
 */
import type { BenefitAssessment, BenefitUnavailable, PaPreview, StepTherapyResult } from '../benefit/types';
import type { GeneResult, PgxAssessment } from '../pgx/types';
import type { DataGap } from './types';
import { renderDoseEstimate } from './render-dose';
import { renderOtherGuidance } from './render-guidance';

const esc = (s: string): string => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

export function renderGeneResult(g: GeneResult): string[] {
  const lines: string[] = [];
  const src = g.sources
    .map((s) => [s.id && `Observation/${esc(s.id)}`, s.date && esc(s.date.slice(0, 10))].filter(Boolean).join(', '))
    .filter(Boolean)
    .join('; ');
  const head = `**${g.gene}**${g.diplotype ? ` \`${g.diplotype}\`` : ''} → **${esc(g.phenotype)}**${src ? ` _(${src})_` : ''}`;
  lines.push(`- ${head}`);
  if (g.alleles.length) {
    const alleles = g.alleles
      .map((a) => `${esc(a.name)}: ${[a.function && esc(a.function), a.activityValue && `activity value ${esc(a.activityValue)}`].filter(Boolean).join(', ') || 'function not stated'}`)
      .join('; ');
    lines.push(`  - Alleles: ${alleles}`);
  }
  if (g.activityArithmetic) lines.push(`  - Activity score: ${esc(g.activityArithmetic)}`);
  if (g.reclassified && g.reportedPhenotype) {
    lines.push(`  - Lab reported _${esc(g.reportedPhenotype)}_; reclassified with current CPIC tables to _${esc(g.phenotype)}_`);
  }
  if (g.status === 'indeterminate' && g.reason) lines.push(`  - Indeterminate: ${esc(g.reason)}`);
  else if (g.reason) lines.push(`  - Note: ${esc(g.reason)}`);
  if (g.conflict) lines.push(`  - Conflicting results (${esc(g.conflict.diplotypes.join(' vs '))}): ${esc(g.conflict.resolution)}`);
  return lines;
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
    case 'untested': {
      const genes = pgx.missingGenes.join(', ');
      out.push(
        gaps.length
          ? `**${genes} status unknown**: genomic results could not be retrieved (${esc(gaps.map((g) => g.reason).join('; '))}). Do not assume normal metabolism.`
          : `**No ${genes} result on file.** CPIC guidance exists for ${esc(pgx.drug.cpicDrug ?? pgx.drug.display)} and ${genes}; consider testing before or while prescribing. Do not assume normal metabolism.`,
      );
      break;
    }
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
  if (pgx.missingGenes.length && pgx.verdict !== 'untested') {
    out.push(`- No result for ${pgx.missingGenes.join(', ')} (also relevant to this drug).`);
  }
  const r = pgx.recommendation;
  if (r) {
    out.push('');
    out.push(`**Recommendation** (${esc(r.strength)}): ${esc(r.text)}`);
    if (r.dosing) out.push(`- Dosing: ${esc(r.dosing)}`);
    if (r.alternatives.length) out.push(`- Alternatives per CPIC: ${esc(r.alternatives.join(', '))}`);
    out.push(
      `- Source: [${esc(r.guideline.title)}](${r.guideline.url})${r.guideline.pmid ? `, PMID ${esc(r.guideline.pmid)}` : ''}; CPIC data ${esc(r.guideline.version)}; rule \`${esc(r.rowId)}\``,
    );
  }
  if (pgx.otherGuidance?.length) out.push(...renderOtherGuidance(pgx.otherGuidance, !!r));
  if (pgx.doseEstimate) out.push(...renderDoseEstimate(pgx.doseEstimate));
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
  for (const c of pa.criteria) out.push(`  - ${mark[c.result]}: ${esc(c.description)}${c.evidence ? ` (${esc(c.evidence)})` : ''}`);
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
    `- **${esc(b.planName)}**: ${esc(b.drug.display)} is ${s.covered ? 'covered' : '**not on formulary**'}${flags.length ? ` — ${flags.join(', ')}` : ''}${s.ruleId ? ` (rule \`${esc(s.ruleId)}\`)` : ''}`,
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
  out.push(`- Plan data: ${esc(b.planId)} ${esc(b.planVersion)}`);
  return out;
}

export function renderGaps(gaps: DataGap[]): string[] {
  if (!gaps.length) return [];
  return ['### Not checked', ...gaps.map((g) => `- **${esc(g.key)}**: ${esc(g.reason)}`)];
}

export const GINA_NOTE =
  '_Genetic information was used only to judge the clinical appropriateness of this order — never for eligibility, premiums or tiers._';

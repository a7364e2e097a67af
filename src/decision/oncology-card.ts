/**
 * The card for a targeted oncology order: does the patient's tumour carry the biomarker the drug's label
 * requires for the patient's cancer? One card per order, built from the OncologyAssessment.
 *
 * Calibration (docs/oncology.md): confirmed → info; a result contradicting a required ABSENCE (RAS mutant for
 * an anti-EGFR antibody: the label says the drug does not help) → critical; any other contrary result →
 * warning; no result or a result that cannot be placed → warning ("do not assume"); indication not listed or
 * no cancer coded → info. Never a hard stop: the clinician decides.
 */
import type { ServiceRequest } from 'fhir/r4';
import { describeFinding } from '../biomarker/assess';
import type { PaPreview } from '../benefit/types';
import type { OncologyAssessment, TumourFinding } from '../biomarker/types';
import type { OrderAssessment } from './assess-order';
import { deterministicUuid } from './card-id';
import { mdText, plainText } from './escape';
import { cardTopic, clampSummary, SOURCE_LABEL, type BuiltCard } from './cards';
import { BENEFIT_OVERRIDE_REASONS, ONCOLOGY_OVERRIDE_REASONS } from './override-reasons';
import { proposedTestOrder } from './proposed-test';
import { paPathwayWords, renderBenefit, renderGaps } from './render-markdown';
import type { DecisionContext } from './types';
import type { Card, Indicator, Link, Suggestion } from '../cdshooks/types';

const PA_AUTO_APPROVABLE = 'auto-approvable — companion diagnostic confirmed';

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function oncologyCardKind(o: OncologyAssessment): string {
  switch (o.verdict) {
    case 'confirmed':
      return 'oncology-biomarker-confirmed';
    case 'contrary':
      return 'oncology-biomarker-contrary';
    case 'not-on-file':
      return 'oncology-biomarker-missing';
    case 'indeterminate':
      return 'oncology-biomarker-indeterminate';
    case 'indication-not-listed':
      return 'oncology-indication-not-listed';
    default:
      return 'oncology-no-diagnosis';
  }
}

function indicatorOf(o: OncologyAssessment): Indicator {
  switch (o.verdict) {
    case 'confirmed':
    case 'indication-not-listed':
    case 'no-cancer-coded':
      return 'info';
    case 'contrary':
      return o.indication?.requires.kind === 'wild-type' ? 'critical' : 'warning';
    default:
      return 'warning';
  }
}

function biomarkerName(o: OncologyAssessment): string {
  const r = o.indication?.requires;
  if (!r) return 'biomarker';
  switch (r.kind) {
    case 'variant':
      return `${r.genes.join('/')} ${r.variants.join(' / ')}`;
    case 'wild-type':
      return `${r.genes.join('/')} wild-type`;
    case 'fusion':
      return `${r.genes.join('/')} fusion`;
    case 'her2-positive':
      return 'HER2 positive';
    case 'her2-low':
      return 'HER2-low (IHC 1+ or IHC 2+/ISH-negative)';
    case 'pdl1':
      return `PD-L1 ≥ ${r.min}%`;
    case 'tmb':
      return `TMB ≥ ${r.min} mut/Mb`;
    case 'msi-high':
      return 'MSI-high / dMMR';
  }
}

function summaryOf(o: OncologyAssessment): string {
  const drug = cap(o.drug.name);
  const cond = o.conditionDisplay ?? '';
  switch (o.verdict) {
    case 'confirmed':
      return `${drug}: ${plainText(o.evidence.map(describeFinding).join(', '))} confirms the ${cond} indication — companion diagnostic on file`;
    case 'contrary':
      return `${drug}: ${plainText(o.reason)}`;
    case 'not-on-file':
      return `${drug}: no companion diagnostic result (${biomarkerName(o)}) — do not assume`;
    case 'indeterminate':
      return `${drug}: ${biomarkerName(o)} status indeterminate — do not assume`;
    case 'indication-not-listed':
      return `${drug}: the patient's cancer is not among its listed biomarker indications — clinician decides`;
    default:
      return `${drug}: no cancer diagnosis coded — indication not checked`;
  }
}

function findingLine(f: TumourFinding): string {
  const parts = [`**${mdText(describeFinding(f))}**`];
  if (f.present === false) parts.push('not detected');
  if (f.kind === 'fusion') parts.push('fusion');
  parts.push(f.origin === 'unstated' ? 'genomic source not stated' : f.origin);
  if (f.alleleFrequency !== undefined) parts.push(`allele frequency ${mdText(String(f.alleleFrequency))}`);
  if (f.method) parts.push(`method: ${mdText(f.method)}`);
  if (f.specimen) parts.push(`specimen: ${mdText(f.specimen)}`);
  if (f.date) parts.push(`date: ${mdText(f.date.slice(0, 10))}`);
  if (f.observationId) parts.push(`Observation/${mdText(f.observationId)}`);
  return `- ${parts.join(' · ')}`;
}

function sourceLine(o: OncologyAssessment): string {
  const l = o.drug.label;
  const when = l.revised ? `, revised ${l.revised}` : '';
  const check = l.verified ? '' : ' — transcribed from the label; this revision not yet verified against the current label';
  return `Rule: ${o.indication ? `\`${o.indication.id}\` — ` : ''}${l.title}${when}${check} (table ${o.knowledgeVersion}).`;
}

/** The PA answer in one line at the top of the card; the full preview (every criterion) follows in the benefit section at signing. */
function paPreviewLine(o: OncologyAssessment, pa: PaPreview | undefined): string {
  if (!pa) return '**PA preview:** prior authorization required; the plan has no criteria for it on file, so expect manual review.';
  if (pa.pathway === 'not-required') return `**PA preview:** not required — ${mdText(pa.reason)}.`;
  const decision = pa.timeframes[0];
  const when = decision ? ` Decision: **${mdText(decision.value)}** (${mdText(decision.label)}).` : '';
  const attach = pa.attachments.length ? ` Attach: ${mdText(pa.attachments.join('; '))}.` : '';
  if (pa.pathway === 'auto-approvable' && o.verdict === 'confirmed') return `**PA preview:** ${PA_AUTO_APPROVABLE} (\`${mdText(pa.criteriaSetId)}\`).${attach}${when}`;
  const notMet = pa.criteria.filter((c) => c.result === 'not-met').map((c) => `${mdText(c.description)}${c.evidence ? ` (${mdText(c.evidence)})` : ''}`);
  return `**PA preview:** ${paPathwayWords(pa.pathway)} (\`${mdText(pa.criteriaSetId)}\`)${notMet.length ? ` — not met: ${notMet.join('; ')}` : ` — ${mdText(pa.reason)}`}.${attach}${when}`;
}

function testOrder(o: OncologyAssessment, patientId: string, orderRef: string): ServiceRequest {
  return proposedTestOrder({
    test: o.test ?? `${biomarkerName(o)} testing`,
    patientId,
    reason: `Companion diagnostic for ${o.drug.name} in ${o.conditionDisplay ?? 'this cancer'}: ${biomarkerName(o)}`,
    forOrder: orderRef,
  });
}

export function buildOncologyCard(a: OrderAssessment, ctx: DecisionContext, patientId: string): BuiltCard {
  const o = a.oncology!;
  const kind = oncologyCardKind(o);
  const indicator = indicatorOf(o);
  const summary = clampSummary(summaryOf(o));
  const uuid = deterministicUuid(ctx.hookInstance, ctx.serviceId, a.orderRef, kind, summary);
  const b = a.benefit;
  const lines: string[] = [];
  switch (o.verdict) {
    case 'confirmed':
      lines.push(`**Companion diagnostic confirmed** for ${o.conditionDisplay}: the label requires ${biomarkerName(o)}; ${mdText(o.reason)}.`, '', 'Confirming result:', ...o.evidence.map(findingLine));
      break;
    case 'contrary':
      lines.push(`**Biomarker contrary to the indication** (${o.conditionDisplay}): ${mdText(o.reason)}.`, '', 'Result on file:', ...o.evidence.map(findingLine));
      if (o.indication?.requires.kind === 'wild-type') lines.push('', `The label limits ${o.drug.name} in ${o.conditionDisplay} to tumours without these mutations: it is not expected to help this patient.`);
      break;
    case 'not-on-file':
      lines.push(`**No companion diagnostic result — do not assume.** ${cap(o.drug.name)} in ${o.conditionDisplay} is indicated when the tumour is ${biomarkerName(o)}, and no such result is on file.`, '', `Suggested test: ${o.test}.`);
      break;
    case 'indeterminate':
      lines.push(`**Biomarker status indeterminate — do not assume** (needed: ${biomarkerName(o)} for ${o.conditionDisplay}): ${mdText(o.reason)}.`);
      if (o.evidence.length) lines.push('', 'Results considered:', ...o.evidence.map(findingLine));
      if (o.test) lines.push('', `Suggested test: ${o.test}.`);
      break;
    case 'indication-not-listed':
      lines.push(`${mdText(cap(o.reason))}. This is not a stop: the table lists only the label's biomarker-selected indications, and off-label use is the treating clinician's decision.`);
      break;
    default:
      lines.push(`${mdText(cap(o.reason))}.`);
  }
  if (o.supported.length) {
    lines.push('', "Therapies the patient's own biomarkers support (companion-diagnostic table, same cancer):", ...o.supported.map((s) => `- **${s.drug}** — ${mdText(s.evidence.map(describeFinding).join(', '))} (\`${s.indicationId}\`)`));
  }
  if (o.indication?.note) lines.push('', `Label scope: ${o.indication.note}.`);
  if (b?.status.priorAuthorization) lines.push('', paPreviewLine(o, b.priorAuth));
  // benefit-unavailable wording speaks of "the pharmacogenomic advice above": shown only when the plan was read
  if (b) lines.push('', ...renderBenefit(b, undefined, { full: ctx.hook === 'order-sign' }));
  lines.push('', ...renderGaps(a.gaps), '', sourceLine(o));

  const suggestions: Suggestion[] = [];
  if ((o.verdict === 'not-on-file' || o.verdict === 'indeterminate') && o.test) {
    suggestions.push({
      label: `Order ${o.test}`,
      uuid: deterministicUuid(uuid, 'test', o.indication?.id ?? o.drug.name),
      actions: [{ type: 'create', description: `Propose ${o.test}`, resource: testOrder(o, patientId, a.orderRef) }],
    });
  }
  const links: Link[] = o.drug.label.url ? [{ label: o.drug.label.title, url: o.drug.label.url, type: 'absolute' }] : [];
  const card: Card = {
    uuid,
    summary,
    detail: lines.join('\n').replace(/\n{3,}/g, '\n\n').trim(),
    indicator,
    source: {
      label: `${SOURCE_LABEL} · FDA label`,
      url: o.drug.label.url ?? 'https://www.fda.gov/medical-devices/in-vitro-diagnostics/list-cleared-or-approved-companion-diagnostic-devices-in-vitro-and-imaging-tools',
      topic: cardTopic(kind),
    },
    overrideReasons: indicator === 'info' ? BENEFIT_OVERRIDE_REASONS : ONCOLOGY_OVERRIDE_REASONS,
    ...(suggestions.length ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
    ...(links.length ? { links } : {}),
  };
  const gene = o.indication?.requires.genes[0];
  return {
    card,
    summary: {
      cardUuid: uuid,
      cardKind: kind,
      indicator,
      drug: o.drug.name,
      ...(gene ? { gene, pair: `${gene}:${o.drug.name}` } : {}),
      planRuleId: b?.status.ruleId,
      paPathway: b?.priorAuth?.pathway,
      suggestionUuids: suggestions.map((s) => s.uuid!),
    },
  };
}

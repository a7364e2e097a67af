/**
 * One card per draft order, with every reason in it: the PGx recommendation, the benefit status, the
 * step-therapy outcome and the PA preview. Cards whose order is genomically fine and covered without
 * restrictions are not shown (no noise).
 */
import type { MedicationRequest, ServiceRequest } from 'fhir/r4';
import type { RankedAlternative } from '../benefit/types';
import { RXNORM } from '../fhir/systems';
import { phenotypeCategory } from '../pgx/genomic-profile';
import type { GeneResult, PgxAssessment } from '../pgx/types';
import type { OrderAssessment } from './assess-order';
import { deterministicUuid } from './card-id';
import { mdText, plainText } from './escape';
import { buildOncologyCard } from './oncology-card';
import { clampSummary, SOURCE_LABEL } from './cards';
import { BENEFIT_OVERRIDE_REASONS, PGX_OVERRIDE_REASONS } from './override-reasons';
import { proposedTestOrder } from './proposed-test';
import { GINA_NOTE, paPathwayWords, renderBenefit, renderGaps, renderHeadline, renderPgx } from './render-markdown';
import type { DecisionContext, DecisionSummary } from './types';
import type { Card, Indicator, Link, Suggestion } from '../cdshooks/types';

const rank: Record<Indicator, number> = { info: 0, warning: 1, critical: 2 };
const maxIndicator = (...xs: Indicator[]): Indicator => xs.reduce((a, b) => (rank[b] > rank[a] ? b : a), 'info');

/** Genomic verdicts that call for a different drug. */
const needsAlternative = (pgx: PgxAssessment): boolean =>
  pgx.verdict === 'contraindicated' || pgx.verdict === 'expected-ineffective';

/**
 * The PGx indicator is data: each CPIC row carries the one the written rule gives it (docs/card-calibration.md).
 * A result that is not final yet never makes a card critical.
 */
function pgxIndicator(pgx: PgxAssessment): Indicator {
  let indicator: Indicator;
  if (pgx.recommendation && pgx.verdict !== 'untested' && pgx.verdict !== 'indeterminate') indicator = pgx.recommendation.indicator;
  else if (!pgx.recommendation && pgx.otherGuidance?.length && pgx.verdict !== 'untested' && pgx.verdict !== 'indeterminate')
    // a label contraindication (no CPIC row) is as firm as CPIC's strong advice; other label advice asks for a change
    indicator = pgx.otherGuidance.some((g) => g.contraindicated) ? 'critical' : pgx.verdict === 'appropriate' ? 'info' : 'warning';
  else if (pgx.partial) indicator = pgx.partial.indicator;
  else indicator = pgx.verdict === 'indeterminate' ? 'warning' : 'info';
  return pgx.provisional?.length && indicator === 'critical' ? 'warning' : indicator;
}

function drugName(a: OrderAssessment): string {
  // an unrecognised drug's name is the order's own text: plain text, bounded
  const n = a.drug.cpicDrug ?? plainText(a.drug.display, 60);
  return n ? n[0].toUpperCase() + n.slice(1) : 'Medication';
}

/**
 * The genes worth naming in a one-line summary: those whose (effective) phenotype is not normal —
 * they drive the recommendation — or the first gene when all are normal.
 */
function phenotypePhrase(pgx: PgxAssessment): string {
  const phrase = (g: GeneResult): string => {
    const eff = pgx.effectivePhenotypes.find((e) => e.gene === g.gene && e.cause && e.effectivePhenotype !== e.genotypePhenotype);
    return eff ? `${g.gene} ${g.phenotype}, acts as ${eff.effectivePhenotype} (${eff.cause!.drug})` : `${g.gene} ${g.phenotype}`;
  };
  const converted = new Set(pgx.effectivePhenotypes.filter((e) => e.cause && e.effectivePhenotype !== e.genotypePhenotype).map((e) => e.gene));
  const drivers = pgx.genes.filter((g) => converted.has(g.gene) || !/^(normal|negative)/.test(phenotypeCategory(g)));
  const named = drivers.length ? drivers : pgx.genes.slice(0, 1);
  return named.map(phrase).join(', ');
}

const actionWords: Record<string, string> = {
  standard: 'standard use',
  'adjust-dose': 'adjust dose',
  avoid: 'avoid',
  'use-alternative': 'use an alternative',
  'consider-alternative': 'consider an alternative',
  monitor: 'monitor',
  'no-recommendation': 'no CPIC recommendation',
};

/** "monitor" rows classified info are CPIC's standard dosing with the monitoring everyone gets */
const actionPhrase = (r: NonNullable<PgxAssessment['recommendation']>): string =>
  r.action === 'monitor' && r.indicator === 'info' ? 'standard dosing' : actionWords[r.action] ?? r.action;

const provisionalPhrase = (pgx: PgxAssessment): string =>
  pgx.provisional?.length ? `${[...new Set(pgx.provisional.map((p) => p.status))].join('/')} result — confirm before acting` : '';

function pgxPhrase(a: OrderAssessment): string {
  const phrase = pgxVerdictPhrase(a);
  const provisional = provisionalPhrase(a.pgx);
  return phrase && provisional ? `${phrase}; ${provisional}` : phrase;
}

function pgxVerdictPhrase(a: OrderAssessment): string {
  const { pgx } = a;
  switch (pgx.verdict) {
    case 'unrecognised':
      return 'unrecognised drug, not checked';
    case 'no-guidance':
      return '';
    case 'untested':
      if (a.gaps.length) return `${pgx.missingGenes.join('/')} results unavailable — do not assume normal`;
      return pgx.partial
        ? `${phenotypePhrase(pgx)} — ${pgx.partial.summary}; no ${pgx.missingGenes.join('/')} result — consider testing`
        : `no ${pgx.missingGenes.join('/')} result — consider PGx testing`;
    case 'indeterminate':
      return `${pgx.genes.find((g) => g.status === 'indeterminate')?.gene ?? 'genomic'} result indeterminate`;
    default: {
      const r = pgx.recommendation;
      const other = r ? undefined : pgx.otherGuidance?.[0];
      if (other) {
        const act = other.contraindicated ? 'contraindicated' : other.informational ? 'no change advised' : actionWords[other.action] ?? other.action;
        return `${phenotypePhrase(pgx)} — ${act} (${other.source})`;
      }
      const act = r ? actionPhrase(r) : 'see details';
      return `${phenotypePhrase(pgx)} — ${act}${r?.strength ? ` (CPIC ${r.strength.toLowerCase()})` : ''}`;
    }
  }
}

function benefitPhrase(a: OrderAssessment, best?: RankedAlternative): string {
  const b = a.benefit;
  if (!b) return a.benefitUnavailable ? 'coverage not checked' : '';
  const parts: string[] = [];
  if (!b.status.covered) parts.push('not on formulary');
  if (b.stepTherapy?.status === 'exempt') parts.push('step therapy exempt');
  else if (b.stepTherapy?.status === 'required') parts.push('step therapy required');
  else if (b.stepTherapy?.status === 'satisfied') parts.push('step therapy satisfied by history');
  if (b.priorAuth && b.priorAuth.pathway !== 'not-required') parts.push(`PA ${paPathwayWords(b.priorAuth.pathway)}`);
  if (best) parts.push(`${best.drug.cpicDrug ?? plainText(best.drug.display, 60)} preferred`);
  return parts.join('; ');
}

/** Alternatives worth offering as "replace the order" suggestions, best first. */
function offeredAlternatives(a: OrderAssessment): RankedAlternative[] {
  const b = a.benefit;
  if (!b) return [];
  const problem =
    needsAlternative(a.pgx) || !b.status.covered || b.stepTherapy?.status === 'required' || b.priorAuth?.pathway === 'likely-denied';
  if (!problem) return [];
  const fit = (alt: RankedAlternative) =>
    alt.pgx.verdict !== 'contraindicated' && alt.pgx.verdict !== 'expected-ineffective' && alt.pgx.verdict !== 'indeterminate';
  return b.alternatives.filter(fit).slice(0, 3);
}

function replacementOrder(order: MedicationRequest, alt: RankedAlternative, ref: string): MedicationRequest {
  // shallow: only top-level fields are replaced or removed below; the answer is serialised, never mutated
  const copy: MedicationRequest = { ...order };
  copy.id = `${order.id ?? 'draft'}-alt-${alt.drug.ingredientRxcui ?? alt.drug.rxcui ?? 'x'}`;
  const code = alt.drug.rxcui ?? alt.drug.ingredientRxcui;
  copy.medicationCodeableConcept = {
    coding: code ? [{ system: RXNORM, code, display: alt.drug.display }] : undefined,
    text: alt.drug.display,
  };
  delete copy.medicationReference;
  // Never carry the original drug's dose over to a different drug: the prescriber sets it.
  delete copy.dosageInstruction;
  delete copy.dispenseRequest;
  copy.note = [...(copy.note ?? []), { text: `Replaces ${ref} (pharmacogenomic/formulary alternative); set dose and quantity.` }];
  return copy;
}

function testOrder(a: OrderAssessment, patientId: string): ServiceRequest {
  return proposedTestOrder({
    test: `${a.pgx.missingGenes.join(', ')} pharmacogenomic genotyping`,
    patientId,
    reason: `CPIC guidance for ${a.drug.cpicDrug ?? a.drug.display} depends on ${a.pgx.missingGenes.join(', ')}`,
  });
}

export interface BuiltCard {
  card: Card;
  summary: DecisionSummary;
}

export function buildOrderCard(a: OrderAssessment, ctx: DecisionContext, patientId: string): BuiltCard | undefined {
  if (a.failure) return buildFailureCard(a, ctx);
  if (a.oncology) return buildOncologyCard(a, ctx, patientId);
  const { pgx, benefit } = a;
  const full = ctx.hook === 'order-sign';
  const alternatives = offeredAlternatives(a);
  const pgxNotable = pgx.verdict !== 'no-guidance';
  const benefitNotable =
    !!benefit &&
    (!benefit.status.covered ||
      benefit.status.priorAuthorization ||
      (benefit.stepTherapy !== undefined && benefit.stepTherapy.status !== 'not-applicable') ||
      !!benefit.costShare?.precisionException ||
      alternatives.length > 0);
  const benefitUnknownMatters = !!a.benefitUnavailable && full && pgx.verdict !== 'unrecognised';
  const ignored = a.ignoredResults ?? [];
  if (!pgxNotable && !benefitNotable && !benefitUnknownMatters && a.gaps.length === 0 && ignored.length === 0) return undefined;

  let indicator = pgxIndicator(pgx);
  if (benefit && (!benefit.status.covered || benefit.stepTherapy?.status === 'required' || benefit.priorAuth?.pathway === 'likely-denied')) {
    indicator = maxIndicator(indicator, 'warning');
  }
  if (a.gaps.length && pgx.verdict === 'untested') indicator = maxIndicator(indicator, 'warning');

  const summary = clampSummary(
    [drugName(a), [pgxPhrase(a), benefitPhrase(a, alternatives[0])].filter(Boolean).join('; ') || 'covered, see details'].join(': '),
  );

  const uuid = deterministicUuid(ctx.hookInstance, ctx.serviceId, a.orderRef, pgx.verdict, summary);
  const suggestions: Suggestion[] = alternatives.map((alt, i) => ({
    label: `Replace with ${plainText(alt.drug.display)}${alt.status.tier ? ` (${plainText(alt.status.tier, 40)}${alt.status.priorAuthorization ? ', PA' : ''})` : ''}`,
    uuid: deterministicUuid(uuid, 'alt', alt.drug.ingredientRxcui ?? alt.drug.display),
    isRecommended: i === 0,
    // create first: some clients (the CDS Hooks sandbox) apply only a suggestion's first action, and a
    // lone delete would leave the prescriber with no order at all
    actions: [
      { type: 'create', description: `Order ${plainText(alt.drug.display)} instead`, resource: replacementOrder(a.order, alt, a.orderRef) },
      { type: 'delete', description: `Remove the draft order for ${plainText(a.drug.display)}`, resourceId: a.orderRef },
    ],
  }));
  if (pgx.verdict === 'untested' && pgx.missingGenes.length && a.gaps.length === 0) {
    suggestions.push({
      label: `Order ${pgx.missingGenes.join(', ')} genotyping`,
      uuid: deterministicUuid(uuid, 'test', pgx.missingGenes.join(',')),
      actions: [{ type: 'create', description: `Propose ${pgx.missingGenes.join(', ')} genotyping`, resource: testOrder(a, patientId) }],
    });
  }

  // a precision cost-share always rests on a genomic result, often another drug's (ticagrelor's comes from
  // clopidogrel's CYP2C19 result): the GINA statement goes with it even when the ordered drug has no gene
  const precisionCostShare =
    !!benefit && (!!benefit.costShare?.precisionException || benefit.alternatives.some((alt) => !!alt.costShare?.precisionException));
  const usedGenomicsForBenefit =
    !!benefit && (benefit.alternatives.length > 0 || benefit.stepTherapy?.status === 'exempt' || !!benefit.priorAuth || !!benefit.costShare?.precisionException);
  const detail = [
    ...renderHeadline(a, full),
    '',
    ...(pgxNotable ? renderPgx(pgx, a.gaps) : []),
    '',
    ...(benefit || a.benefitUnavailable ? renderBenefit(benefit, a.benefitUnavailable, { full }) : []),
    '',
    ...renderGaps([...a.gaps, ...ignored]),
    ...((usedGenomicsForBenefit && pgx.genes.length) || precisionCostShare ? ['', GINA_NOTE] : []),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

  const links: Link[] = [];
  if (pgx.recommendation) {
    links.push({ label: `CPIC guideline: ${plainText(pgx.recommendation.guideline.title, 300)}`, url: pgx.recommendation.guideline.url, type: 'absolute' });
  }
  for (const g of pgx.otherGuidance ?? []) {
    if (!links.some((l) => l.url === g.citation.url)) links.push({ label: `${g.source}: ${g.citation.title}`, url: g.citation.url, type: 'absolute' });
  }
  const card: Card = {
    uuid,
    summary,
    detail,
    indicator,
    source: {
      label: pgx.recommendation ? `${SOURCE_LABEL} · CPIC` : SOURCE_LABEL,
      url: pgx.recommendation?.guideline.url ?? 'https://cpicpgx.org/guidelines/',
      topic: { system: 'urn:pbh:card-kind', code: cardKind(a), display: cardKind(a) },
    },
    overrideReasons: pgxNotable ? PGX_OVERRIDE_REASONS : BENEFIT_OVERRIDE_REASONS,
    ...(suggestions.length ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
    ...(links.length ? { links } : {}),
  };
  const gene = pgx.genes[0]?.gene ?? pgx.missingGenes[0];
  return {
    card,
    summary: {
      cardUuid: uuid,
      cardKind: cardKind(a),
      indicator,
      drug: a.drug.cpicDrug ?? a.drug.display,
      gene,
      pair: gene && a.drug.cpicDrug ? `${gene}:${a.drug.cpicDrug}` : undefined,
      planRuleId: benefit?.status.ruleId,
      stepTherapy: benefit?.stepTherapy && benefit.stepTherapy.status !== 'not-applicable' ? benefit.stepTherapy.status : undefined,
      paPathway: benefit?.priorAuth?.pathway,
      pgxVerdict: a.pgx.verdict,
      suggestionUuids: suggestions.map((s) => s.uuid!),
    },
  };
}

export function cardKind(a: OrderAssessment): string {
  switch (a.pgx.verdict) {
    case 'contraindicated':
    case 'expected-ineffective':
    case 'adjust':
    case 'appropriate':
      return 'pgx-recommendation';
    case 'untested':
      return 'pgx-missing-test';
    case 'indeterminate':
      return 'pgx-indeterminate';
    case 'unrecognised':
      return 'unrecognised-drug';
    default:
      break;
  }
  const b = a.benefit;
  if (b?.stepTherapy?.status === 'exempt') return 'step-exemption';
  if (b?.priorAuth && b.priorAuth.pathway !== 'not-required') return 'pa-preview';
  if (b && !b.status.covered) return 'formulary-alternative';
  return 'coverage';
}

/** The order could not be assessed: say so plainly — silence would read as "all clear". */
function buildFailureCard(a: OrderAssessment, ctx: DecisionContext): BuiltCard {
  const summary = clampSummary(`${plainText(a.drug.display, 60)}: could not be checked — do not assume it is genomically appropriate or covered`);
  const uuid = deterministicUuid(ctx.hookInstance, ctx.serviceId, a.orderRef, 'failure');
  return {
    card: {
      uuid,
      summary,
      detail: `The pharmacogenomic and pharmacy-benefit checks for this order did not complete: ${mdText(a.failure ?? 'unknown failure')}. The problem has been logged for the service operators. Review the patient's pharmacogenomic results and coverage manually.`,
      indicator: 'warning',
      source: { label: SOURCE_LABEL, topic: { system: 'urn:pbh:card-kind', code: 'assessment-failed', display: 'assessment-failed' } },
    },
    summary: { cardUuid: uuid, cardKind: 'assessment-failed', indicator: 'warning', suggestionUuids: [] },
  };
}

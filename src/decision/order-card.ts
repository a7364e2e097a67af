/**
 * One card per draft order, with every reason in it: the PGx recommendation, the benefit status, the
 * step-therapy outcome and the PA preview. Cards whose order is genomically fine and covered without
 * restrictions are not shown (no noise).
 *
 * Built in steps, each from the assessment: why the order deserves a card (OrderCardFacts), its kind and
 * indicator, its suggestions, then its words (summary line, markdown detail, links).
 */
import type { MedicationRequest } from 'fhir/r4';
import type { BenefitAssessment, RankedAlternative } from '../benefit/types';
import type { Card, HookName, Indicator, Link, Suggestion } from '../cdshooks/types';
import { RXNORM } from '../fhir/systems';
import type { PgxAssessment } from '../pgx/types';
import type { OrderAssessment } from './assess-order';
import { deterministicUuid } from './card-id';
import { cardTopic, clampSummary, SOURCE_LABEL, type BuiltCard } from './cards';
import { mdText, plainText } from './escape';
import { buildOncologyCard } from './oncology-card';
import { BENEFIT_OVERRIDE_REASONS, PGX_OVERRIDE_REASONS } from './override-reasons';
import { proposedTestOrder } from './proposed-test';
import { GINA_NOTE, renderBenefit, renderGaps, renderHeadline, renderPgx } from './render-markdown';
import { orderSummaryLine } from './summary-line';
import type { DecisionContext } from './types';

/** Why an order deserves a card; an order with none gets no card. */
type CardReason = 'pgx' | 'benefit' | 'benefit-unknown' | 'data-gap' | 'ignored-result';

interface OrderCardFacts {
  reasons: ReadonlySet<CardReason>;
  /** order-sign shows the full PA preview; order-select points to it */
  full: boolean;
  /** alternatives offered as "replace the order" suggestions, best first */
  alternatives: RankedAlternative[];
}

export function buildOrderCard(a: OrderAssessment, ctx: DecisionContext, patientId: string): BuiltCard | undefined {
  if (a.failure) return buildFailureCard(a, ctx);
  if (a.oncology) return buildOncologyCard(a, ctx, patientId);
  const facts = orderCardFacts(a, ctx.hook);
  if (facts.reasons.size === 0) return undefined;

  const { pgx, benefit } = a;
  const kind = cardKind(a);
  const indicator = orderIndicator(a);
  const summary = orderSummaryLine(a, facts.alternatives[0]);
  const uuid = deterministicUuid(ctx.hookInstance, ctx.serviceId, a.orderRef, pgx.verdict, summary);
  const suggestions = orderSuggestions(a, facts.alternatives, uuid, patientId);
  const links = guidanceLinks(pgx);
  const card: Card = {
    uuid,
    summary,
    detail: orderDetail(a, facts),
    indicator,
    source: {
      label: pgx.recommendation ? `${SOURCE_LABEL} · CPIC` : SOURCE_LABEL,
      url: pgx.recommendation?.guideline.url ?? 'https://cpicpgx.org/guidelines/',
      topic: cardTopic(kind),
    },
    overrideReasons: facts.reasons.has('pgx') ? PGX_OVERRIDE_REASONS : BENEFIT_OVERRIDE_REASONS,
    ...(suggestions.length ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
    ...(links.length ? { links } : {}),
  };
  const gene = pgx.genes[0]?.gene ?? pgx.missingGenes[0];
  return {
    card,
    summary: {
      cardUuid: uuid,
      cardKind: kind,
      indicator,
      drug: a.drug.cpicDrug ?? a.drug.display,
      gene,
      pair: gene && a.drug.cpicDrug ? `${gene}:${a.drug.cpicDrug}` : undefined,
      planRuleId: benefit?.status.ruleId,
      stepTherapy: benefit?.stepTherapy && benefit.stepTherapy.status !== 'not-applicable' ? benefit.stepTherapy.status : undefined,
      paPathway: benefit?.priorAuth?.pathway,
      pgxVerdict: pgx.verdict,
      suggestionUuids: suggestions.map((s) => s.uuid!),
    },
  };
}

// ---- why a card ------------------------------------------------------------------------------------

function orderCardFacts(a: OrderAssessment, hook: HookName): OrderCardFacts {
  const full = hook === 'order-sign';
  const alternatives = offeredAlternatives(a);
  const b = a.benefit;
  const reasons = new Set<CardReason>();
  if (a.pgx.verdict !== 'no-guidance') reasons.add('pgx');
  if (
    b &&
    (!b.status.covered ||
      b.status.priorAuthorization ||
      (b.stepTherapy && b.stepTherapy.status !== 'not-applicable') ||
      b.costShare?.precisionException ||
      alternatives.length > 0)
  ) {
    reasons.add('benefit');
  }
  // at order-select an unknown benefit is no news; at signing the prescriber should know it was not checked
  if (a.benefitUnavailable && full && a.pgx.verdict !== 'unrecognised') reasons.add('benefit-unknown');
  if (a.gaps.length) reasons.add('data-gap');
  if (a.ignoredResults?.length) reasons.add('ignored-result');
  return { reasons, full, alternatives };
}

/** Genomic verdicts that call for a different drug. */
const needsAlternative = (pgx: PgxAssessment): boolean =>
  pgx.verdict === 'contraindicated' || pgx.verdict === 'expected-ineffective';

/** The order as written will not simply be filled: not covered, step therapy unmet, or PA likely denied. */
const coverageObstacle = (b: BenefitAssessment): boolean =>
  !b.status.covered || b.stepTherapy?.status === 'required' || b.priorAuth?.pathway === 'likely-denied';

/** Alternatives worth offering as "replace the order" suggestions, best first. */
function offeredAlternatives(a: OrderAssessment): RankedAlternative[] {
  const b = a.benefit;
  if (!b) return [];
  if (!needsAlternative(a.pgx) && !coverageObstacle(b)) return [];
  const fit = (alt: RankedAlternative) =>
    alt.pgx.verdict !== 'contraindicated' && alt.pgx.verdict !== 'expected-ineffective' && alt.pgx.verdict !== 'indeterminate';
  return b.alternatives.filter(fit).slice(0, 3);
}

// ---- kind and indicator ----------------------------------------------------------------------------

function cardKind(a: OrderAssessment): string {
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

const rank: Record<Indicator, number> = { info: 0, warning: 1, critical: 2 };
const maxIndicator = (...xs: Indicator[]): Indicator => xs.reduce((a, b) => (rank[b] > rank[a] ? b : a), 'info');

/** The more urgent of what pharmacogenomics and coverage say; missing genomic results are at least a warning. */
function orderIndicator(a: OrderAssessment): Indicator {
  let indicator = pgxIndicator(a.pgx);
  if (a.benefit && coverageObstacle(a.benefit)) indicator = maxIndicator(indicator, 'warning');
  if (a.gaps.length && a.pgx.verdict === 'untested') indicator = maxIndicator(indicator, 'warning');
  return indicator;
}

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

// ---- suggestions -----------------------------------------------------------------------------------

function orderSuggestions(a: OrderAssessment, alternatives: RankedAlternative[], cardUuid: string, patientId: string): Suggestion[] {
  const { pgx } = a;
  const suggestions: Suggestion[] = alternatives.map((alt, i) => ({
    label: `Replace with ${plainText(alt.drug.display)}${alt.status.tier ? ` (${plainText(alt.status.tier, 40)}${alt.status.priorAuthorization ? ', PA' : ''})` : ''}`,
    uuid: deterministicUuid(cardUuid, 'alt', alt.drug.ingredientRxcui ?? alt.drug.display),
    isRecommended: i === 0,
    // create first: some clients (the CDS Hooks sandbox) apply only a suggestion's first action, and a
    // lone delete would leave the prescriber with no order at all
    actions: [
      { type: 'create', description: `Order ${plainText(alt.drug.display)} instead`, resource: replacementOrder(a.order, alt, a.orderRef) },
      { type: 'delete', description: `Remove the draft order for ${plainText(a.drug.display)}`, resourceId: a.orderRef },
    ],
  }));
  if (pgx.verdict === 'untested' && pgx.missingGenes.length && a.gaps.length === 0) {
    const genes = pgx.missingGenes.join(', ');
    suggestions.push({
      label: `Order ${genes} genotyping`,
      uuid: deterministicUuid(cardUuid, 'test', pgx.missingGenes.join(',')),
      actions: [
        {
          type: 'create',
          description: `Propose ${genes} genotyping`,
          resource: proposedTestOrder({
            test: `${genes} pharmacogenomic genotyping`,
            patientId,
            reason: `CPIC guidance for ${a.drug.cpicDrug ?? a.drug.display} depends on ${genes}`,
          }),
        },
      ],
    });
  }
  return suggestions;
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

// ---- words -----------------------------------------------------------------------------------------

function orderDetail(a: OrderAssessment, facts: OrderCardFacts): string {
  const { pgx, benefit } = a;
  return [
    ...renderHeadline(a, facts.full),
    '',
    ...(facts.reasons.has('pgx') ? renderPgx(pgx, a.gaps) : []),
    '',
    ...(benefit || a.benefitUnavailable ? renderBenefit(benefit, a.benefitUnavailable, { full: facts.full }) : []),
    '',
    ...renderGaps([...a.gaps, ...(a.ignoredResults ?? [])]),
    ...(ginaApplies(a) ? ['', GINA_NOTE] : []),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The GINA statement goes on a card whose benefit answer used genetic information. A precision cost-share
 * always rests on a genomic result, often another drug's (ticagrelor's comes from clopidogrel's CYP2C19
 * result): the statement goes with it even when the ordered drug has no gene.
 */
function ginaApplies(a: OrderAssessment): boolean {
  const b = a.benefit;
  if (!b) return false;
  const precisionCostShare = !!b.costShare?.precisionException || b.alternatives.some((alt) => !!alt.costShare?.precisionException);
  const usedGenomics = b.alternatives.length > 0 || b.stepTherapy?.status === 'exempt' || !!b.priorAuth || !!b.costShare?.precisionException;
  return (usedGenomics && a.pgx.genes.length > 0) || precisionCostShare;
}

/** The CPIC guideline, then each other source's citation once. */
function guidanceLinks(pgx: PgxAssessment): Link[] {
  const links: Link[] = [];
  if (pgx.recommendation) {
    links.push({ label: `CPIC guideline: ${plainText(pgx.recommendation.guideline.title, 300)}`, url: pgx.recommendation.guideline.url, type: 'absolute' });
  }
  for (const g of pgx.otherGuidance ?? []) {
    if (!links.some((l) => l.url === g.citation.url)) links.push({ label: `${g.source}: ${g.citation.title}`, url: g.citation.url, type: 'absolute' });
  }
  return links;
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
      source: { label: SOURCE_LABEL, topic: cardTopic('assessment-failed') },
    },
    summary: { cardUuid: uuid, cardKind: 'assessment-failed', indicator: 'warning', suggestionUuids: [] },
  };
}

/**
 * Decide what to say about the draft orders: the single entry point of the pure core.
 * One card per draft order (all reasons in it), one data-gap card when data was missing,
 * and — at order-sign — a CRD coverage-information systemAction per assessed order.
 */
import type { MedicationRequest } from 'fhir/r4';
import type { PlanCatalogue } from '../benefit';
import type { OncologyKnowledge } from '../biomarker/knowledge';
import { CRD_COVERAGE_INFORMATION_URL } from '../fhir/systems';
import type { PgxKnowledge } from '../pgx/knowledge';
import { assessRequest, type OrderAssessment } from './assess-order';
import { buildDataGapCard } from './cards';
import { plainText } from './escape';
import { buildOrderCard } from './order-card';
import type { DecisionContext, DecisionSummary, PatientRecord } from './types';
import type { Action, Card, HookResponse } from '../cdshooks/types';

export interface DecisionKnowledge {
  pgx: PgxKnowledge;
  plans: PlanCatalogue;
  /** companion-diagnostic table (terminology/oncology.json); absent: oncology orders are judged by PGx/benefit only */
  oncology?: OncologyKnowledge;
}

export interface DecisionOutcome {
  response: HookResponse;
  decisions: DecisionSummary[];
  /** plan version used, for the audit trail */
  planVersion?: string;
  /** unexpected failures the core survived (each cost one order or one input its advice): log and count */
  errors: string[];
}

function coverageInformationAction(a: OrderAssessment): Action | undefined {
  const ext = a.benefit?.coverageInformation ?? a.benefitUnavailable?.coverageInformation;
  if (!ext) return undefined;
  // shallow copy with a new extension array: the request's own order object is never modified
  const updated: MedicationRequest = {
    ...a.order,
    extension: [...(a.order.extension ?? []).filter((e) => e.url !== CRD_COVERAGE_INFORMATION_URL), ext],
  };
  return {
    type: 'update',
    description: `Record coverage information (Da Vinci CRD) on the draft order for ${plainText(a.drug.display)}`,
    resource: updated,
  };
}

export function decide(record: PatientRecord, ctx: DecisionContext, kb: DecisionKnowledge): DecisionOutcome {
  const cards: Card[] = [];
  const decisions: DecisionSummary[] = [];
  const systemActions: Action[] = [];

  // Every gap gets named once here, whatever the orders; order cards repeat the ones that concern them.
  const general = record.unavailable;
  if (general.length > 0) {
    const { card, summary } = buildDataGapCard(general, ctx);
    cards.push(card);
    decisions.push(summary);
  }

  const { orders, errors } = assessRequest(record, ctx, kb);
  for (const a of orders) {
    const built = buildOrderCard(a, ctx, record.patientId);
    if (built) {
      cards.push(built.card);
      decisions.push(built.summary);
    }
    if (ctx.hook === 'order-sign') {
      const action = coverageInformationAction(a);
      if (action) systemActions.push(action);
    }
  }
  // Most urgent first: EHRs commonly render in the order given.
  const order = { critical: 0, warning: 1, info: 2 } as const;
  cards.sort((x, y) => order[x.indicator] - order[y.indicator]);
  const planVersion = orders.find((o) => o.benefit)?.benefit?.planVersion;
  return { response: { cards, systemActions }, decisions, planVersion, errors };
}

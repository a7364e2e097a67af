/**
 * Which plan covers this patient: Coverage → payer plan. Per US Core / Da Vinci usdf-InsurancePlanCoverage,
 * the plan is named by `Coverage.class` of type `plan` (value = InsurancePlan.identifier), or referenced
 * by an extension carrying `InsurancePlan/<id>` (relative or absolute). Any identifier of a payer plan names it.
 * The first active Coverage that names a known plan wins.
 */
import type { Coverage, Extension } from 'fhir/r4';
import { COVERAGE_CLASS } from '../fhir/systems';
import { buildCoverageInformation, coverageAssertionId } from './coverage-information';
import type { Plan, PlanCatalogue } from './plan-catalogue';
import type { BenefitUnavailable } from './types';

const R5_CLASS_VALUE = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.class.value';

function planKeys(c: Coverage): string[] {
  const keys: string[] = [];
  for (const cls of c.class ?? []) {
    const isPlan = (cls.type?.coding ?? []).some((t) => t.code === 'plan' && (!t.system || t.system === COVERAGE_CLASS));
    if (!isPlan) continue;
    if (cls.value) keys.push(cls.value);
    // usdf-InsurancePlanCoverage pre-adopts R5's Coverage.class.value (an Identifier) as an extension
    for (const e of cls.extension ?? []) if (e.url === R5_CLASS_VALUE && e.valueIdentifier?.value) keys.push(e.valueIdentifier.value);
  }
  // a reference to the payer plan, relative ("InsurancePlan/x") or absolute (".../InsurancePlan/x")
  const refs = (exts: Extension[] | undefined) =>
    (exts ?? []).flatMap((e) => {
      const m = /(?:^|\/)(InsurancePlan\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(e.valueReference?.reference ?? '');
      return m ? [m[1]!] : [];
    });
  keys.push(...refs(c.extension));
  return keys;
}

export function resolvePlan(coverage: Coverage[], catalogue: PlanCatalogue | undefined): { plan: Plan } | BenefitUnavailable {
  if (!catalogue) return { unavailable: true, reason: 'no plan catalogue is loaded, so the pharmacy benefit could not be checked' };
  const active = (coverage ?? []).filter((c) => c && (c.status === undefined || c.status === 'active'));
  if (active.length === 0) {
    return { unavailable: true, reason: 'no active Coverage on record, so the pharmacy benefit could not be checked' };
  }
  const tried: string[] = [];
  for (const c of active) {
    for (const key of planKeys(c)) {
      const plan = catalogue.byIdentifier.get(key);
      if (plan) return { plan };
      tried.push(key);
    }
  }
  return {
    unavailable: true,
    reason: tried.length
      ? `the patient's plan (${tried.join(', ')}) is not in this service's plan catalogue, so the pharmacy benefit could not be checked`
      : 'the Coverage does not name a plan (Coverage.class of type "plan"), so the pharmacy benefit could not be checked',
  };
}

/** CRD coverage-information for an order whose benefit could not be checked: `indeterminate` (none without a Coverage). */
export function unavailableCoverageInformation(unavailable: BenefitUnavailable, now: string, coverage?: Coverage) {
  return buildCoverageInformation({
    coverageRef: coverage?.id ? `Coverage/${coverage.id}` : undefined,
    covered: 'indeterminate',
    paNeeded: 'indeterminate',
    reason: unavailable.reason,
    details: [],
    now,
    assertionId: coverageAssertionId('unavailable', coverage?.id ?? '', unavailable.reason, now),
  });
}

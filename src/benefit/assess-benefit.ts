/**
 * The benefit answer for one draft order: decided (decide-benefit.ts), put in words (explain-benefit.ts)
 * and encoded as the Da Vinci CRD coverage-information extension (coverage-information.ts).
 */
import { encodeCoverageInformation } from './coverage-information';
import { decideBenefit, type BenefitInput } from './decide-benefit';
import { coverageReason } from './explain-benefit';
import type { BenefitAssessment } from './types';

export type { BenefitInput } from './decide-benefit';

export function assessBenefit(input: BenefitInput): BenefitAssessment {
  const decision = decideBenefit(input);
  const coverageInformation = encodeCoverageInformation(decision, {
    plan: input.plan,
    orderId: input.order.id ?? '',
    coverage: input.record.coverage[0],
    now: input.now,
    reason: coverageReason(decision, input.plan),
  });
  const { unmatched, listingCode, ...assessment } = decision;
  return { ...assessment, coverageInformation };
}

/** The pharmacy-benefit engine: pure functions over the plan catalogue and the patient's data. */
export { assessBenefit, type BenefitInput } from './assess-benefit';
export { resolvePlan, unavailableCoverageInformation } from './resolve-plan';
export { matchOrder, planListsOrder } from './formulary';
export { buildPlanCatalogue, PlanLoadError } from './plan-catalogue';
export type { Plan, PlanCatalogue, FormularyEntry, LineOfBusiness, StepProtocol, PaCriteriaSet } from './plan-catalogue';
export { precisionCostShareEnabled, standardCostShare, tierCostShare } from './cost-share';
export type * from './types';

/**
 * The pharmacogenomic knowledge the core runs on: indexed once at start-up from terminology/,
 * immutable afterwards, passed into every pure function.
 */
import type { GeneKnowledge } from './gene-knowledge';
import type { DrugKnowledge } from './drug-knowledge';
import type { DoseKnowledge } from './dose-algorithms';
import type { GuidanceKnowledge } from './other-guidance';

export interface PgxKnowledge {
  genes: GeneKnowledge;
  drugs: DrugKnowledge;
  /** pharmacogenetic dose algorithms by drug (warfarin: IWPC); absent → no dose estimates */
  dosing?: DoseKnowledge;
  /** FDA-label and DPWG guidance by drug; absent → CPIC only */
  guidance?: GuidanceKnowledge;
  /** e.g. "CPIC 2025-11-05-00-25 / pbh-terminology 1" — shown in cards and stored in the audit trail */
  version: string;
}

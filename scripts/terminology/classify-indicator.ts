/**
 * The card indicator of every CPIC recommendation row, by the rule written in docs/card-calibration.md, from the
 * row's structured fields (action, strength) and CPIC's own text for it (terminology/sources/
 * cpic-recommendation-text.json). The result is stored in terminology/recommendations.json; the service reads it
 * and never re-derives it.
 *
 *   critical  CPIC Strong: avoid / contraindicated / use an alternative
 *   warning   a dose change; an alternative (avoid, use or consider one) at Moderate or Optional strength, or
 *             "consider" at any strength; an actionable caution (use cautiously, measure enzyme activity, close
 *             monitoring for a genotype-specific harm)
 *   info      standard or label dosing, monitoring that applies to everyone included; no genotype-based
 *             recommendation
 */
import type { RecommendationAction } from '../../src/pgx/types';
import type { CardIndicator } from '../../src/pgx/drug-knowledge';

export interface CpicText {
  source: string;
  classification: string;
  text: string;
}

export interface Classification {
  indicator: CardIndicator;
  /** which clause of the rule decided, in words (for docs/card-calibration-rows.md) */
  basis: string;
}

/** "monitor" rows whose CPIC text gives the usual dosing: standard or label doses, no genotype-driven change */
const STANDARD_USE =
  /\b(at standard doses|standard recommended dose|label recommended|no adjustments needed from typical dosing|should guide use|should not be avoided)\b/i;
/** a caution that asks for something beyond the usual care for this genotype */
const CAUTION = /\b(caution|cautiously|must be measured|close monitoring)\b/i;
/** what a critical row's CPIC text must say */
const AVOIDANCE = /\b(avoid|alternative|not recommended|contraindicated|do not use|not be used|should not be used)\b/i;
/** what an info row's CPIC text must not say */
const DOSE_CHANGE = /\b(reduc\w*|decreas\w* dose|lower (starting |maintenance )?dose|increase\w* (the )?(starting )?dose|\d+\s?% (of|reduction|lower|higher))\b/i;

export function classifyIndicator(
  row: { id: string; action: RecommendationAction; strength: string },
  cpic: CpicText | undefined,
): Classification {
  if (cpic && cpic.classification !== row.strength) {
    throw new Error(`classify: ${row.id} strength ${row.strength} but CPIC says ${cpic.classification}`);
  }
  const strong = row.strength === 'Strong';
  let out: Classification;
  switch (row.action) {
    case 'avoid':
    case 'use-alternative':
      out = strong
        ? { indicator: 'critical', basis: 'CPIC strong: avoid / use an alternative' }
        : { indicator: 'warning', basis: `alternative at ${row.strength.toLowerCase()} strength` };
      break;
    case 'consider-alternative':
      out = { indicator: 'warning', basis: 'consider an alternative' };
      break;
    case 'adjust-dose':
      out = { indicator: 'warning', basis: 'dose change' };
      break;
    case 'standard':
      out = { indicator: 'info', basis: 'standard dosing' };
      break;
    case 'no-recommendation':
      out = { indicator: 'info', basis: 'no genotype-based recommendation' };
      break;
    case 'monitor':
      if (!cpic) out = { indicator: 'warning', basis: 'monitoring, CPIC text not on file (kept as a caution)' };
      else if (CAUTION.test(cpic.text)) out = { indicator: 'warning', basis: 'actionable caution in CPIC text' };
      else if (STANDARD_USE.test(cpic.text)) out = { indicator: 'info', basis: 'CPIC text: standard/label dosing, usual monitoring' };
      else out = { indicator: 'warning', basis: 'monitoring specific to this result' };
      break;
  }
  if (cpic && out.indicator === 'critical' && !AVOIDANCE.test(cpic.text)) {
    throw new Error(`classify: ${row.id} is critical but CPIC's text does not say avoid/alternative: ${cpic.text.slice(0, 120)}`);
  }
  if (cpic && out.indicator === 'info' && row.action !== 'no-recommendation' && DOSE_CHANGE.test(cpic.text)) {
    throw new Error(`classify: ${row.id} is info but CPIC's text changes the dose: ${cpic.text.slice(0, 120)}`);
  }
  return out;
}

/** The indicator the service gave each row before the rule was written down (action and strength only). */
export function previousIndicator(row: { action: RecommendationAction; strength: string }): CardIndicator {
  if (row.action === 'avoid' || row.action === 'use-alternative') return row.strength === 'Strong' ? 'critical' : 'warning';
  if (row.action === 'standard' || row.action === 'no-recommendation') return 'info';
  return 'warning';
}

/**
 * Markdown for pharmacogenetic dose estimates (warfarin: IWPC, as CPIC's guideline, then Gage; each with
 * CPIC's adjustments): each estimate first, then every input with its source and term, the missing ones named.
 */
import { mdText } from './escape';
import type { DoseEstimate } from '../pgx/types';

const perDay = (weekly: number): string => (Math.round((weekly / 7) * 10) / 10).toFixed(1);

/** Every estimate in order; one that could not be computed says so without displacing one that could. */
export function renderDoseEstimates(es: DoseEstimate[]): string[] {
  const anyEstimated = es.some((e) => e.status === 'estimated');
  return es.flatMap((e) => renderDoseEstimate(e, anyEstimated));
}

export function renderDoseEstimate(e: DoseEstimate, anotherEstimated = false): string[] {
  const out: string[] = [''];
  if (e.status === 'estimated' && e.weeklyMg !== undefined) {
    const adj = e.adjustedWeeklyMg;
    out.push(
      adj
        ? `**Estimated starting dose (${mdText(e.algorithm.name)})**: ${adj.min}–${adj.max} mg/week (${perDay(adj.min)}–${perDay(adj.max)} mg/day) after CPIC's adjustment; the algorithm alone gives ${e.weeklyMg} mg/week (${perDay(e.weeklyMg)} mg/day)`
        : `**Estimated starting dose (${mdText(e.algorithm.name)})**: ${e.weeklyMg} mg/week (${perDay(e.weeklyMg)} mg/day)`,
    );
    for (const a of e.adjustments) out.push(`- Adjustment: ${mdText(a)}`);
  } else if (anotherEstimated) {
    out.push(`**${mdText(e.algorithm.name)}: not computed**${e.missing.length ? ` — missing ${mdText(e.missing.join(', '))}` : ''}.`);
  } else {
    out.push(
      `**No dose estimate (${mdText(e.algorithm.name)})**${e.missing.length ? `: missing ${mdText(e.missing.join(', '))}` : ''}. Record them and re-run, or dose by the usual clinical approach with INR monitoring.`,
    );
  }
  out.push('- Inputs:');
  for (const i of e.inputs) {
    const term = i.term !== undefined ? ` [term ${i.term >= 0 ? '+' : ''}${Math.round(i.term * 10000) / 10000}]` : '';
    out.push(`  - ${i.missing ? '❔ ' : ''}${mdText(i.name)}: ${mdText(i.value)}${i.source ? ` _(${mdText(i.source)})_` : ''}${term}`);
  }
  if (e.missing.length && e.status === 'estimated') out.push(`- Missing inputs: ${mdText(e.missing.join(', '))} (the algorithm's own "unknown"/"missing" terms were used where it has them)`);
  for (const n of e.notes) out.push(`- ${mdText(n)}`);
  out.push(`- Algorithm: ${mdText(e.algorithm.citation)}; a starting-dose estimate, to be followed by INR monitoring`);
  return out;
}

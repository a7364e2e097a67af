/**
 * CSV (RFC 4180) for the admin reports, so an analyst can open them in a spreadsheet. Pure.
 * A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR) is prefixed with an
 * apostrophe (OWASP CSV injection guidance); numbers are written as numbers.
 *
 * The rules behind the numbers travel with them: before the header come comment lines, each starting
 * with `#` (the method, the suppression rules, the assumptions), the same texts as in the JSON report.
 * A spreadsheet shows them above the table; a program skips the lines that start with `#` (docs/store.md).
 * The header is the first line that does not.
 */
import type { AnalyticsReport, GroupCounts, OutcomeCounts, SeriesPoint } from './analytics';
import type { Counts, EquityReport, Rates } from './equity';
import type { Interval } from './statistics';
import type { ValueReport } from './value';

type CellValue = string | number | boolean | null | undefined;

function cell(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COMMENT_PREFIX = '#';

/** one comment line per note; line breaks and double quotes are taken out so each stays one line of one cell */
const commentLine = (note: string) => `${CSV_COMMENT_PREFIX} ${note.replace(/[\r\n]+/g, ' ').replace(/"/g, "'")}`;

export function toCsv(header: string[], rows: CellValue[][], notes: string[] = []): string {
  return [...notes.map(commentLine), ...[header, ...rows].map((r) => r.map(cell).join(','))].join('\r\n') + '\r\n';
}

const ci = (i: Interval | null): [CellValue, CellValue] => [i?.low, i?.high];
const RATE_COLUMNS = ['acceptance_rate', 'acceptance_rate_ci95_low', 'acceptance_rate_ci95_high', 'override_rate', 'override_rate_ci95_low', 'override_rate_ci95_high'];
const rateCells = (r: Rates | OutcomeCounts | SeriesPoint): CellValue[] => [r.acceptanceRate, ...ci(r.acceptanceRateCI95), r.overrideRate, ...ci(r.overrideRateCI95)];

export function analyticsCsv(r: AnalyticsReport): string {
  const header = ['section', 'key', 'display', 'shown', 'accepted', 'overridden', 'patients', ...RATE_COLUMNS, 'above_target'];
  const line = (section: string, key: string, display: string, c: OutcomeCounts | SeriesPoint): CellValue[] => [
    section,
    key,
    display,
    c.shown,
    c.accepted,
    c.overridden,
    c.patients,
    ...rateCells(c),
    'aboveTarget' in c ? c.aboveTarget : undefined,
  ];
  const groups = (section: string, list: GroupCounts[]) => list.map((g) => line(section, g.key, g.display, g));
  const notes = [`period: ${r.period.since} to ${r.period.until} (until exclusive)`, `method: ${r.method.description}`];
  return toCsv(header, [
    line('total', 'all', 'All cards', r.totals),
    ...groups('card-kind', r.byCardKind),
    ...groups('pair', r.byPair),
    ...groups('plan-rule', r.byPlanRule),
    ...r.series.map((p) => line(`series-${r.seriesInterval}`, p.start, p.start, p)),
  ], notes);
}

export function equityCsv(r: EquityReport): string {
  const header = [
    'dimension', 'group', 'group_display', 'breakdown', 'key', 'key_display', 'suppressed', 'suppression_reason', 'suppression_explanation',
    'shown', 'accepted', 'overridden', 'responded', 'patients', ...RATE_COLUMNS, 'disparity_direction',
  ];
  type AnyCell = { display: string; suppressed: boolean; reason?: string; explanation?: string } & Partial<Counts & Rates>;
  const values = (c: AnyCell): CellValue[] =>
    c.suppressed
      ? [true, c.reason, c.explanation, ...Array(5 + RATE_COLUMNS.length).fill(undefined)]
      : [false, '', '', c.shown, c.accepted, c.overridden, c.responded, c.patients, ...rateCells(c as Rates)];
  const rows: CellValue[][] = [['all', 'all', 'All cards', '', '', '', ...values({ display: 'All cards', suppressed: false, ...r.overall }), '']];
  for (const [dimension, groups] of Object.entries(r.dimensions)) {
    for (const g of groups) {
      const direction = r.disparities.find((d) => d.dimension === dimension && d.group === g.group)?.direction ?? '';
      rows.push([dimension, g.group, g.display, '', '', '', ...values(g as AnyCell), direction]);
      for (const [breakdown, list] of [['card-kind', g.byCardKind ?? []], ['pair', g.byPair ?? []]] as const) {
        for (const b of list) rows.push([dimension, g.group, g.display, breakdown, b.key, b.display, ...values(b as AnyCell), '']);
      }
    }
  }
  const notes = [
    `period: ${r.period.since} to ${r.period.until} (until exclusive)`,
    `method: ${r.method.description}`,
    `suppression: ${r.suppression.rule}`,
    `complementary suppression: ${r.suppression.complementary}`,
  ];
  return toCsv(header, rows, notes);
}

export function valueCsv(r: ValueReport): string {
  const est = ['adverseEventsAvoided', 'adverseEventCostAvoided', 'nonResponseCostAvoided', 'administrativeMinutesSaved', 'administrativeCostSaved', 'avoidedCost', 'testingCost', 'net'] as const;
  const header = [
    'period_start', 'period_end', 'plan', 'plan_name', 'accepted_cards', 'contraindicated_avoided', 'non_response_avoided', 'dose_error_avoided',
    'step_therapy_exemptions', 'pa_auto_approvals', 'tests_ordered',
    ...est.flatMap((e) => [`${e}_low`, `${e}_high`]),
    'not_estimated',
  ];
  const line = (start: string, end: string, x: ValueReport['byPlan'][number]): CellValue[] => [
    start, end, x.plan, x.planName, x.acceptedCards, x.contraindicatedAvoided, x.nonResponseAvoided, x.doseErrorAvoided,
    x.stepTherapyExemptions, x.paAutoApprovals, x.testsOrdered,
    ...est.flatMap((e) => [x.estimate[e]?.low, x.estimate[e]?.high]),
    x.estimate.notEstimated.map((n) => `${n.estimate} (set ${n.missing.join(', ')})`).join('; '),
  ];
  const notes = [
    `period: ${r.period.since} to ${r.period.until} (until exclusive)`,
    `method: ${r.method}`,
    ...r.assumptions.flatMap((a) =>
      Object.entries(a.values).map(([name, v]) => `assumption (${a.planName}): ${name} = ${v!.low} to ${v!.high} ${v!.unit}; source: ${v!.source}`),
    ),
  ];
  return toCsv(header, [
    ...r.rows.map((x) => line(x.periodStart, x.periodEnd, x)),
    ...r.byPlan.map((x) => line(r.period.since, r.period.until, x)),
  ], notes);
}

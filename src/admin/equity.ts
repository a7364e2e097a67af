import type { CardOutcomeRow, Demographics } from '../store/types';
import type { Labels } from './labels';
import { twoProportionZTest, wilsonInterval, type Interval } from './statistics';

/**
 * Equity monitoring: acceptance and override rates stratified by the coarse demographics stored at
 * decision time, and the groups whose rates differ from everyone else's. Pure: rows and display names in,
 * a report out (the method text below is returned in the report, so the analyst reads the rules used).
 *
 * Unit:    a card shown (n counts cards, not patients; unique patients are reported beside the counts).
 * Rates:   acceptanceRate = accepted / shown;  overrideRate = overridden / (accepted + overridden),
 *          each with a 95 % Wilson score interval.
 * Flag:    |group rate − rate of the rest| > 5 percentage points, AND the rate's denominator n ≥ 30, AND a
 *          two-sided two-proportion z-test of the group against the rest gives p < 0.05 — uncorrected for
 *          the number of comparisons made (4 dimensions × groups × 2 rates), so some flags are expected by
 *          chance: a screen for a human to look at, not a finding.
 * One entry per disparity: a group's two rates are one disparity, with a direction: adverse (the group's
 *          cards are accepted less or overridden more than the rest's), favourable, or mixed.
 * Privacy: a cell with fewer than 11 cards shown, responded to, or unique patients (the CMS cell-size
 *          convention) is suppressed: no counts, no rates. If that leaves exactly one suppressed cell in a
 *          set that adds up to a published total, the next smallest is suppressed too (complementary
 *          suppression), so the hidden one cannot be derived by subtraction. Every suppressed cell says why.
 */
export const MIN_CELL_SIZE = 11;
export const FLAG_MIN_N = 30;
export const FLAG_MIN_DIFFERENCE = 0.05;
export const FLAG_ALPHA = 0.05;
export const CONFIDENCE = 0.95;

export const EQUITY_DIMENSIONS = ['race', 'ethnicity', 'sex', 'ageBand'] as const satisfies ReadonlyArray<keyof Demographics>;
export type EquityDimension = (typeof EQUITY_DIMENSIONS)[number];
export type EquityMetric = 'acceptanceRate' | 'overrideRate';
export type Direction = 'adverse' | 'favourable' | 'mixed';

export const METHOD_TEXT =
  'n counts cards shown, not patients (unique patients are given beside each count). acceptanceRate = accepted / shown; ' +
  'overrideRate = overridden / (accepted + overridden); each rate has a 95 % Wilson score interval. ' +
  'Each group is compared with the rest of the population (every other card, suppressed groups included), not with the overall rate: ' +
  `a rate is flagged when the group differs from the rest by more than ${FLAG_MIN_DIFFERENCE * 100} percentage points, ` +
  `its denominator is at least ${FLAG_MIN_N}, and a two-sided two-proportion z-test (pooled variance) gives p < ${FLAG_ALPHA}. ` +
  'There is no correction for multiple comparisons (four dimensions, several groups, two rates each): expect some flags by chance and read them as prompts for review. ' +
  'A group with both rates flagged is one disparity; its direction is adverse when its cards are accepted less or overridden more than the rest, favourable in the opposite case, mixed when the two rates disagree.';

export const SUPPRESSION_RULE =
  `A cell (group, or card kind or gene–drug pair within a group) with fewer than ${MIN_CELL_SIZE} cards shown, ` +
  `fewer than ${MIN_CELL_SIZE} cards responded to, or fewer than ${MIN_CELL_SIZE} unique patients is suppressed: no counts and no rates are given (CMS cell-size suppression policy).`;
export const COMPLEMENTARY_RULE =
  'When exactly one cell of a set is suppressed for size, the next smallest cell of that set is suppressed too, ' +
  "because the hidden cell's counts could otherwise be derived by subtracting the published cells from the published total.";

export interface Counts {
  shown: number;
  accepted: number;
  overridden: number;
  responded: number;
  /** unique patients (distinct pseudonyms) behind the cards */
  patients: number;
}

export interface Rates {
  acceptanceRate: number | null;
  acceptanceRateCI95: Interval | null;
  overrideRate: number | null;
  overrideRateCI95: Interval | null;
}

export interface SuppressedCell {
  suppressed: true;
  reason: 'small-cell' | 'complementary';
  explanation: string;
}

export type Cell<K extends string> = { [P in K]: string } & { display: string } & (SuppressedCell | ({ suppressed: false } & Counts & Rates));

export type BreakdownCell = Cell<'key'>;
export type EquityGroup = Cell<'group'> & { byCardKind?: BreakdownCell[]; byPair?: BreakdownCell[] };

export interface DisparityMeasure {
  metric: EquityMetric;
  groupRate: number;
  groupRateCI95: Interval;
  restRate: number;
  overallRate: number;
  /** group − rest, in proportion units (0.07 = 7 percentage points) */
  difference: number;
  n: number;
  z: number;
  p: number;
  direction: 'adverse' | 'favourable';
}

export interface Disparity {
  dimension: EquityDimension;
  group: string;
  display: string;
  direction: Direction;
  measures: DisparityMeasure[];
}

export interface EquityReport {
  period: { since: string; until: string };
  method: {
    unit: 'card';
    minCellSize: number;
    flagMinN: number;
    flagMinDifference: number;
    alpha: number;
    confidence: number;
    interval: string;
    test: string;
    comparison: string;
    multipleComparisonCorrection: 'none';
    description: string;
  };
  suppression: { minCellSize: number; rule: string; complementary: string };
  overall: Counts & Rates;
  dimensions: Record<EquityDimension, EquityGroup[]>;
  disparities: Disparity[];
}

function counts(rows: CardOutcomeRow[]): Counts {
  let accepted = 0;
  let overridden = 0;
  const patients = new Set<string>();
  for (const r of rows) {
    if (r.outcome === 'accepted') accepted++;
    else if (r.outcome === 'overridden') overridden++;
    if (r.patientPseudonym) patients.add(r.patientPseudonym);
  }
  return { shown: rows.length, accepted, overridden, responded: accepted + overridden, patients: patients.size };
}

export function rates(c: Pick<Counts, 'shown' | 'accepted' | 'overridden'>): Rates {
  const responded = c.accepted + c.overridden;
  return {
    acceptanceRate: c.shown ? c.accepted / c.shown : null,
    acceptanceRateCI95: wilsonInterval(c.accepted, c.shown),
    overrideRate: responded ? c.overridden / responded : null,
    overrideRateCI95: wilsonInterval(c.overridden, responded),
  };
}

function groupBy(rows: CardOutcomeRow[], key: (r: CardOutcomeRow) => string | undefined): Map<string, CardOutcomeRow[]> {
  const out = new Map<string, CardOutcomeRow[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const isSmall = (c: Counts) => c.shown < MIN_CELL_SIZE || c.responded < MIN_CELL_SIZE || c.patients < MIN_CELL_SIZE;

/**
 * Which cells of a set that adds up to a published total must be hidden, and why.
 * @returns key → suppression, for the hidden ones only
 */
export function suppress(cells: Array<{ key: string; display: string; counts: Counts }>): Map<string, SuppressedCell> {
  const out = new Map<string, SuppressedCell>();
  const small = cells.filter((c) => isSmall(c.counts));
  for (const c of small) {
    const why = [
      c.counts.shown < MIN_CELL_SIZE && 'cards shown',
      c.counts.responded < MIN_CELL_SIZE && 'cards responded to',
      c.counts.patients < MIN_CELL_SIZE && 'unique patients',
    ].filter(Boolean);
    out.set(c.key, { suppressed: true, reason: 'small-cell', explanation: `fewer than ${MIN_CELL_SIZE} ${why.join(', or ')}` });
  }
  if (small.length === 1) {
    const next = cells.filter((c) => !out.has(c.key)).sort((a, b) => a.counts.shown - b.counts.shown || a.key.localeCompare(b.key))[0];
    if (next) {
      out.set(next.key, {
        suppressed: true,
        reason: 'complementary',
        explanation: `not small itself: hidden because "${small[0].display}" is the only cell of this set suppressed for size, and its counts could otherwise be derived by subtracting this cell's from the total`,
      });
    }
  }
  return out;
}

function cellsOf<K extends 'key' | 'group'>(
  k: K,
  groups: Map<string, CardOutcomeRow[]>,
  display: (code: string) => string,
  extra?: (rows: CardOutcomeRow[]) => Record<string, unknown>,
): Array<Cell<K> & Record<string, unknown>> {
  const cells = [...groups].map(([key, rows]) => ({ key, display: display(key), rows, counts: counts(rows) }));
  const hidden = suppress(cells);
  return cells
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((c) => {
      const h = hidden.get(c.key);
      const head = { [k]: c.key, display: c.display } as { [P in K]: string } & { display: string };
      if (h) return { ...head, ...h };
      return { ...head, suppressed: false as const, ...c.counts, ...rates(c.counts), ...(extra ? extra(c.rows) : {}) };
    });
}

function measure(metric: EquityMetric, x: number, n: number, X: number, N: number): DisparityMeasure | undefined {
  if (n < FLAG_MIN_N || N - n <= 0) return undefined;
  const groupRate = x / n;
  const restRate = (X - x) / (N - n);
  const difference = groupRate - restRate;
  if (Math.abs(difference) <= FLAG_MIN_DIFFERENCE) return undefined;
  const { z, p } = twoProportionZTest(x, n, X - x, N - n);
  if (!(p < FLAG_ALPHA)) return undefined;
  // fewer acceptances, or more overrides, than the rest: the group gets the genomic advice less often
  const worse = metric === 'acceptanceRate' ? difference < 0 : difference > 0;
  return {
    metric,
    groupRate,
    groupRateCI95: wilsonInterval(x, n)!,
    restRate,
    overallRate: X / N,
    difference,
    n,
    z,
    p,
    direction: worse ? 'adverse' : 'favourable',
  };
}

function disparityOf(dimension: EquityDimension, g: { group: string; display: string } & Counts, all: Counts): Disparity | undefined {
  const measures = [
    measure('acceptanceRate', g.accepted, g.shown, all.accepted, all.shown),
    measure('overrideRate', g.overridden, g.responded, all.overridden, all.responded),
  ].filter((m): m is DisparityMeasure => !!m);
  if (!measures.length) return undefined;
  const dirs = new Set(measures.map((m) => m.direction));
  return { dimension, group: g.group, display: g.display, direction: dirs.size === 1 ? measures[0].direction : 'mixed', measures };
}

const dimensionLabel = (labels: Labels | undefined, d: EquityDimension): ((c: string) => string) =>
  labels ? (c) => labels[d](c) : (c) => c;

export function computeEquity(rows: CardOutcomeRow[], since: string, until: string, labels?: Labels): EquityReport {
  const all = counts(rows);
  const kindLabel = labels ? labels.cardKind : (c: string) => c;
  const pairLabel = labels ? labels.pair : (c: string) => c;
  const breakdowns = (list: CardOutcomeRow[]) => ({
    byCardKind: cellsOf('key', groupBy(list, (r) => r.cardKind), kindLabel) as BreakdownCell[],
    byPair: cellsOf('key', groupBy(list, (r) => r.pair), pairLabel) as BreakdownCell[],
  });
  const dimensions = Object.fromEntries(
    EQUITY_DIMENSIONS.map((d) => [d, cellsOf('group', groupBy(rows, (r) => r.demographics[d]), dimensionLabel(labels, d), breakdowns)]),
  ) as unknown as Record<EquityDimension, EquityGroup[]>;
  const order: Record<Direction, number> = { adverse: 0, mixed: 1, favourable: 2 };
  const disparities = EQUITY_DIMENSIONS.flatMap((dimension) =>
    dimensions[dimension].flatMap((g) => {
      if (g.suppressed) return [];
      const d = disparityOf(dimension, g as { group: string; display: string } & Counts, all);
      return d ? [d] : [];
    }),
  ).sort((a, b) => order[a.direction] - order[b.direction]);
  return {
    period: { since, until },
    method: {
      unit: 'card',
      minCellSize: MIN_CELL_SIZE,
      flagMinN: FLAG_MIN_N,
      flagMinDifference: FLAG_MIN_DIFFERENCE,
      alpha: FLAG_ALPHA,
      confidence: CONFIDENCE,
      interval: 'Wilson score interval',
      test: 'two-sided two-proportion z-test (pooled variance)',
      comparison: 'group vs rest of the population',
      multipleComparisonCorrection: 'none',
      description: METHOD_TEXT,
    },
    suppression: { minCellSize: MIN_CELL_SIZE, rule: SUPPRESSION_RULE, complementary: COMPLEMENTARY_RULE },
    overall: { ...all, ...rates(all) },
    dimensions,
    disparities,
  };
}

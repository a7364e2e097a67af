import type { CardOutcomeRow, Demographics } from '../store/types';
import { twoProportionZTest } from './statistics';

/**
 * Equity monitoring: acceptance and override rates stratified by the coarse demographics stored at
 * decision time, and flags where a group differs from everyone else.
 *
 * Rates:   acceptanceRate = accepted / shown;  overrideRate = overridden / (accepted + overridden).
 * Flag:    |group rate − overall rate| > 5 percentage points, AND the rate's denominator n ≥ 30, AND a
 *          two-sided two-proportion z-test of the group against the rest of the population gives p < 0.05
 *          — a real, sizeable difference with enough volume to matter, not noise in a small group.
 * Privacy: a group with fewer than 11 cards shown or responded to (the CMS cell-size convention) is
 *          suppressed: no counts, no rates. If that leaves exactly one suppressed group in a dimension,
 *          the next smallest group is suppressed too, so the hidden one cannot be derived by subtraction.
 */
export const MIN_CELL_SIZE = 11;
export const FLAG_MIN_N = 30;
export const FLAG_MIN_DIFFERENCE = 0.05;
export const FLAG_ALPHA = 0.05;

export const EQUITY_DIMENSIONS = ['race', 'ethnicity', 'sex', 'ageBand'] as const satisfies ReadonlyArray<keyof Demographics>;
export type EquityDimension = (typeof EQUITY_DIMENSIONS)[number];
export type EquityMetric = 'acceptanceRate' | 'overrideRate';

interface Tally {
  shown: number;
  accepted: number;
  overridden: number;
}

export interface EquityFlag {
  metric: EquityMetric;
  groupRate: number;
  overallRate: number;
  /** group − overall, in proportion units (0.07 = 7 percentage points) */
  difference: number;
  z: number;
  p: number;
}

export type EquityGroup =
  | { group: string; suppressed: true }
  | ({
      group: string;
      suppressed: false;
      responded: number;
      acceptanceRate: number;
      overrideRate: number;
      flags: EquityFlag[];
    } & Tally);

export interface EquityReport {
  period: { since: string; until: string };
  method: { minCellSize: number; flagMinN: number; flagMinDifference: number; alpha: number; test: string };
  overall: Tally & { responded: number; acceptanceRate: number | null; overrideRate: number | null };
  dimensions: Record<EquityDimension, EquityGroup[]>;
  flagged: Array<{ dimension: EquityDimension; group: string } & EquityFlag>;
}

const tally = (rows: CardOutcomeRow[]): Tally => ({
  shown: rows.length,
  accepted: rows.filter((r) => r.outcome === 'accepted').length,
  overridden: rows.filter((r) => r.outcome === 'overridden').length,
});

function flagsFor(g: Tally, all: Tally): EquityFlag[] {
  const flags: EquityFlag[] = [];
  const check = (metric: EquityMetric, x: number, n: number, X: number, N: number) => {
    if (n < FLAG_MIN_N || N - n <= 0) return;
    const groupRate = x / n;
    const overallRate = X / N;
    const difference = groupRate - overallRate;
    if (Math.abs(difference) <= FLAG_MIN_DIFFERENCE) return;
    const { z, p } = twoProportionZTest(x, n, X - x, N - n);
    if (p < FLAG_ALPHA) flags.push({ metric, groupRate, overallRate, difference, z, p });
  };
  check('acceptanceRate', g.accepted, g.shown, all.accepted, all.shown);
  check('overrideRate', g.overridden, g.accepted + g.overridden, all.overridden, all.accepted + all.overridden);
  return flags;
}

function stratify(rows: CardOutcomeRow[], dim: EquityDimension, all: Tally): EquityGroup[] {
  const byGroup = new Map<string, CardOutcomeRow[]>();
  for (const r of rows) {
    const k = r.demographics[dim];
    const list = byGroup.get(k);
    if (list) list.push(r);
    else byGroup.set(k, [r]);
  }
  const tallies = [...byGroup].map(([group, list]) => ({ group, t: tally(list) }));
  const small = (t: Tally) => t.shown < MIN_CELL_SIZE || t.accepted + t.overridden < MIN_CELL_SIZE;
  const hidden = new Set(tallies.filter((x) => small(x.t)).map((x) => x.group));
  if (hidden.size === 1) {
    const next = tallies.filter((x) => !hidden.has(x.group)).sort((a, b) => a.t.shown - b.t.shown)[0];
    if (next) hidden.add(next.group);
  }
  return tallies
    .sort((a, b) => a.group.localeCompare(b.group))
    .map(({ group, t }): EquityGroup => {
      if (hidden.has(group)) return { group, suppressed: true };
      const responded = t.accepted + t.overridden;
      return {
        group,
        suppressed: false,
        ...t,
        responded,
        acceptanceRate: t.accepted / t.shown,
        overrideRate: t.overridden / responded,
        flags: flagsFor(t, all),
      };
    });
}

export function computeEquity(rows: CardOutcomeRow[], since: string, until: string): EquityReport {
  const all = tally(rows);
  const responded = all.accepted + all.overridden;
  const dimensions = Object.fromEntries(EQUITY_DIMENSIONS.map((d) => [d, stratify(rows, d, all)])) as Record<
    EquityDimension,
    EquityGroup[]
  >;
  const flagged = EQUITY_DIMENSIONS.flatMap((dimension) =>
    dimensions[dimension].flatMap((g) => (g.suppressed ? [] : g.flags.map((f) => ({ dimension, group: g.group, ...f })))),
  );
  return {
    period: { since, until },
    method: {
      minCellSize: MIN_CELL_SIZE,
      flagMinN: FLAG_MIN_N,
      flagMinDifference: FLAG_MIN_DIFFERENCE,
      alpha: FLAG_ALPHA,
      test: 'two-sided two-proportion z-test, group vs rest of population',
    },
    overall: {
      ...all,
      responded,
      acceptanceRate: all.shown ? all.accepted / all.shown : null,
      overrideRate: responded ? all.overridden / responded : null,
    },
    dimensions,
    flagged,
  };
}

import { computeEquity } from '../../src/admin/equity';
import { normalCdf, twoProportionZTest } from '../../src/admin/statistics';
import type { CardOutcomeRow, Demographics } from '../../src/store/types';

const demo = (over: Partial<Demographics>): Demographics => ({ race: 'unknown', ethnicity: 'unknown', sex: 'unknown', ageBand: 'unknown', ...over });
function rows(d: Partial<Demographics>, accepted: number, overridden: number, none: number): CardOutcomeRow[] {
  const mk = (outcome?: 'accepted' | 'overridden'): CardOutcomeRow => ({ cardKind: 'pgx-recommendation', demographics: demo(d), outcome });
  return [
    ...Array.from({ length: accepted }, () => mk('accepted')),
    ...Array.from({ length: overridden }, () => mk('overridden')),
    ...Array.from({ length: none }, () => mk()),
  ];
}

describe('statistics', () => {
  test('normal CDF at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });
  test('two-proportion z-test, worked by hand: 20/80 vs 14/108', () => {
    // pooled p = 34/188 = 0.18085; se = sqrt(0.18085·0.81915·(1/80 + 1/108)) = 0.056776; z = (0.25 − 0.12963)/se
    const { z, p } = twoProportionZTest(20, 80, 14, 108);
    expect(z).toBeCloseTo(2.12, 2);
    expect(p).toBeCloseTo(0.034, 3);
  });
  test('degenerate samples give p = 1, not NaN', () => {
    expect(twoProportionZTest(0, 0, 3, 10)).toEqual({ z: 0, p: 1 });
    expect(twoProportionZTest(0, 10, 0, 10)).toEqual({ z: 0, p: 1 });
  });
});

describe('equity report on a seeded data set (figures checked by hand)', () => {
  // female 100 shown: 60 accepted, 20 overridden; male 100: 80 / 10; other 5: 2 / 1; unknown 20: 12 / 3
  const data = [
    ...rows({ sex: 'female', ageBand: '45-64' }, 60, 20, 20),
    ...rows({ sex: 'male', ageBand: '45-64' }, 80, 10, 10),
    ...rows({ sex: 'other', ageBand: '65+' }, 2, 1, 2),
    ...rows({ sex: 'unknown', ageBand: '18-44' }, 12, 3, 5),
  ];
  const report = computeEquity(data, '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');

  test('overall rates: 154/225 accepted, 34/188 overridden', () => {
    expect(report.overall).toMatchObject({ shown: 225, accepted: 154, overridden: 34, responded: 188 });
    expect(report.overall.acceptanceRate).toBeCloseTo(0.68444, 4);
    expect(report.overall.overrideRate).toBeCloseTo(0.18085, 4);
  });

  test('small group suppressed (n < 11), and the next smallest too so it cannot be subtracted out', () => {
    const sex = Object.fromEntries(report.dimensions.sex.map((g) => [g.group, g]));
    expect(sex.other).toEqual({ group: 'other', suppressed: true });
    expect(sex.unknown).toEqual({ group: 'unknown', suppressed: true });
    expect(JSON.stringify(report)).not.toMatch(/"shown":5\b/);
    expect(sex.female).toMatchObject({ suppressed: false, shown: 100, accepted: 60, overridden: 20, responded: 80 });
    expect(sex.male).toMatchObject({ suppressed: false, shown: 100, accepted: 80, overridden: 10, responded: 90 });
  });

  test('female and male both differ by > 5 points with p < 0.05 on both rates: flagged, with z by hand', () => {
    const flags = report.flagged.filter((f) => f.dimension === 'sex');
    const get = (group: string, metric: string) => flags.find((f) => f.group === group && f.metric === metric)!;
    // female override 20/80 = 0.25 vs rest 14/108: z = 2.12
    expect(get('female', 'overrideRate').groupRate).toBeCloseTo(0.25, 6);
    expect(get('female', 'overrideRate').difference).toBeCloseTo(0.25 - 34 / 188, 6);
    expect(get('female', 'overrideRate').z).toBeCloseTo(2.12, 2);
    // female acceptance 60/100 vs rest 94/125: pooled 0.68444, se 0.062351, z = −2.438
    expect(get('female', 'acceptanceRate').z).toBeCloseTo(-2.438, 2);
    // male override 10/90 vs rest 24/98: se 0.056194, z = −2.381
    expect(get('male', 'overrideRate').z).toBeCloseTo(-2.381, 2);
    // male acceptance 80/100 vs rest 74/125: z = 3.336
    expect(get('male', 'acceptanceRate').z).toBeCloseTo(3.336, 2);
    expect(flags).toHaveLength(4);
  });

  test('a dimension with one reported group (everyone) raises no flag', () => {
    expect(report.dimensions.race).toHaveLength(1);
    expect(report.flagged.filter((f) => f.dimension === 'race')).toEqual([]);
    // ageBand: 65+ (5) suppressed, 18-44 (20) suppressed complementarily, only 45-64 remains
    expect(report.dimensions.ageBand.filter((g) => !g.suppressed).map((g) => g.group)).toEqual(['45-64']);
  });

  test('a large difference in a group below 30 responses is not flagged (not enough volume)', () => {
    const small = computeEquity(
      [...rows({ sex: 'other' }, 0, 20, 0), ...rows({ sex: 'female' }, 180, 20, 0)],
      'a',
      'b',
    );
    const other = small.dimensions.sex.find((g) => g.group === 'other')!;
    expect(other).toMatchObject({ suppressed: false, overrideRate: 1 });
    expect(small.flagged.filter((f) => f.group === 'other')).toEqual([]);
  });

  test('a difference of at most 5 points is not flagged however large the groups', () => {
    const r = computeEquity([...rows({ sex: 'female' }, 8000, 2000, 0), ...rows({ sex: 'male' }, 8400, 1600, 0)], 'a', 'b');
    // female 0.20 vs overall 0.18: 2 points (highly significant at this n, but too small to matter)
    expect(r.flagged).toEqual([]);
  });
});

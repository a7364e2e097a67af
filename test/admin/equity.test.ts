import { computeEquity } from '../../src/admin/equity';
import { buildLabels } from '../../src/admin/labels';
import { normalCdf, twoProportionZTest, wilsonInterval } from '../../src/admin/statistics';
import type { CardOutcomeRow, Demographics } from '../../src/store/types';

const demo = (over: Partial<Demographics>): Demographics => ({ race: 'unknown', ethnicity: 'unknown', sex: 'unknown', ageBand: 'unknown', ...over });
let patient = 0;
/** every card from its own patient unless `patients` says how many share them */
function rows(d: Partial<Demographics>, accepted: number, overridden: number, none: number, patients?: number): CardOutcomeRow[] {
  const base = patient;
  let i = 0;
  const mk = (outcome?: 'accepted' | 'overridden'): CardOutcomeRow => {
    const p = patients ? base + (i++ % patients) : patient++;
    return { cardKind: 'pgx-recommendation', pair: 'CYP2C19:clopidogrel', patientPseudonym: `p${p}`, demographics: demo(d), outcome };
  };
  if (patients) patient += patients;
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
  test('Wilson 95 % interval, worked by hand: 20/80 → 0.1681 .. 0.3548; 0/10 → 0 .. 0.2775; n = 0 → null', () => {
    // centre = (0.25 + 3.8415/160) / (1 + 3.8415/80) = 0.261455; half = 1.96/1.048018 · sqrt(0.25·0.75/80 + 3.8415/25600) = 0.093393
    expect(wilsonInterval(20, 80)!.low).toBeCloseTo(0.1681, 4);
    expect(wilsonInterval(20, 80)!.high).toBeCloseTo(0.3548, 4);
    expect(wilsonInterval(0, 10)!.low).toBe(0);
    expect(wilsonInterval(0, 10)!.high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
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
    expect(report.overall).toMatchObject({ shown: 225, accepted: 154, overridden: 34, responded: 188, patients: 225 });
    expect(report.overall.overrideRateCI95).toEqual(wilsonInterval(34, 188));
    expect(report.overall.acceptanceRate).toBeCloseTo(0.68444, 4);
    expect(report.overall.overrideRate).toBeCloseTo(0.18085, 4);
  });

  test('small group suppressed (n < 11), and the next smallest too so it cannot be subtracted out', () => {
    const sex = Object.fromEntries(report.dimensions.sex.map((g) => [g.group, g]));
    expect(sex.other).toEqual({ group: 'other', display: 'other', suppressed: true, reason: 'small-cell', explanation: expect.stringContaining('fewer than 11 cards shown') });
    expect(sex.unknown).toEqual({
      group: 'unknown',
      display: 'unknown',
      suppressed: true,
      reason: 'complementary',
      explanation: expect.stringContaining('"other" is the only cell of this set suppressed for size'),
    });
    expect(report.suppression.rule).toMatch(/fewer than 11 cards shown, fewer than 11 cards responded to, or fewer than 11 unique patients/);
    expect(report.suppression.complementary).toMatch(/next smallest/);
    expect(JSON.stringify(report)).not.toMatch(/"shown":5\b/);
    expect(sex.female).toMatchObject({ suppressed: false, shown: 100, accepted: 60, overridden: 20, responded: 80, patients: 100 });
    expect(sex.female.suppressed === false && sex.female.overrideRateCI95).toEqual(wilsonInterval(20, 80));
    expect(sex.male).toMatchObject({ suppressed: false, shown: 100, accepted: 80, overridden: 10, responded: 90 });
  });

  test('one entry per disparity (both rates together), group vs rest, with its direction', () => {
    const sex = report.disparities.filter((f) => f.dimension === 'sex');
    expect(sex.map((d) => [d.group, d.direction])).toEqual([
      ['female', 'adverse'],
      ['male', 'favourable'],
    ]);
    const m = (group: string, metric: string) => sex.find((d) => d.group === group)!.measures.find((x) => x.metric === metric)!;
    // female override 20/80 = 0.25 vs rest 14/108 = 0.12963: z = 2.12
    expect(m('female', 'overrideRate').groupRate).toBeCloseTo(0.25, 6);
    expect(m('female', 'overrideRate').restRate).toBeCloseTo(14 / 108, 6);
    expect(m('female', 'overrideRate').difference).toBeCloseTo(0.25 - 14 / 108, 6);
    expect(m('female', 'overrideRate').overallRate).toBeCloseTo(34 / 188, 6);
    expect(m('female', 'overrideRate').z).toBeCloseTo(2.12, 2);
    expect(m('female', 'overrideRate')).toMatchObject({ n: 80, direction: 'adverse', groupRateCI95: wilsonInterval(20, 80) });
    // female acceptance 60/100 vs rest 94/125: pooled 0.68444, se 0.062351, z = −2.438 (fewer acceptances: adverse)
    expect(m('female', 'acceptanceRate').z).toBeCloseTo(-2.438, 2);
    expect(m('female', 'acceptanceRate').direction).toBe('adverse');
    // male override 10/90 vs rest 24/98: z = −2.381; acceptance 80/100 vs rest 74/125: z = 3.336 (favourable)
    expect(m('male', 'overrideRate').z).toBeCloseTo(-2.381, 2);
    expect(m('male', 'acceptanceRate').z).toBeCloseTo(3.336, 2);
    expect(m('male', 'acceptanceRate').direction).toBe('favourable');
  });

  test('the method says n counts cards, the comparison is group vs rest, and there is no multiple-comparison correction', () => {
    expect(report.method).toMatchObject({ unit: 'card', comparison: 'group vs rest of the population', multipleComparisonCorrection: 'none', confidence: 0.95 });
    expect(report.method.description).toMatch(/n counts cards/);
    expect(report.method.description).toMatch(/rest of the population/);
    expect(report.method.description).toMatch(/no correction for multiple comparisons/);
  });

  test('breakdown by card kind and gene–drug pair within each group, suppressed the same way', () => {
    const female = report.dimensions.sex.find((g) => g.group === 'female')!;
    expect(female.byPair).toEqual([expect.objectContaining({ key: 'CYP2C19:clopidogrel', suppressed: false, shown: 100, patients: 100 })]);
    expect(female.byCardKind).toEqual([expect.objectContaining({ key: 'pgx-recommendation', shown: 100 })]);
  });

  test('display names from the terminology (CDC race & ethnicity) and the knowledge', () => {
    const labels = buildLabels();
    const r = computeEquity([...rows({ race: '2054-5', ethnicity: '2135-2' }, 20, 5, 0), ...rows({ race: '2106-3' }, 20, 5, 0)], 'a', 'b', labels);
    expect(r.dimensions.race.map((g) => g.display)).toEqual(['Black or African American', 'White']);
    expect(r.dimensions.ethnicity.map((g) => [g.group, g.display])).toEqual([
      ['2135-2', 'Hispanic or Latino'],
      ['unknown', 'Unknown or not recorded'],
    ]);
  });

  test('few patients behind many cards: suppressed though the card count is large', () => {
    const r = computeEquity([...rows({ sex: 'female' }, 30, 10, 0, 4), ...rows({ sex: 'male' }, 30, 10, 0), ...rows({ sex: 'other' }, 30, 10, 0)], 'a', 'b');
    const female = r.dimensions.sex.find((g) => g.group === 'female')!;
    expect(female).toMatchObject({ suppressed: true, reason: 'small-cell', explanation: 'fewer than 11 unique patients' });
    expect(r.dimensions.sex.filter((g) => g.suppressed && g.reason === 'complementary')).toHaveLength(1);
  });

  test('a dimension with one reported group (everyone) raises no flag', () => {
    expect(report.dimensions.race).toHaveLength(1);
    expect(report.disparities.filter((f) => f.dimension === 'race')).toEqual([]);
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
    expect(small.disparities.filter((f) => f.group === 'other')).toEqual([]);
  });

  test('a difference of at most 5 points is not flagged however large the groups', () => {
    const r = computeEquity([...rows({ sex: 'female' }, 8000, 2000, 0), ...rows({ sex: 'male' }, 8400, 1600, 0)], 'a', 'b');
    // female 0.20 vs overall 0.18: 2 points (highly significant at this n, but too small to matter)
    expect(r.disparities).toEqual([]);
  });
});

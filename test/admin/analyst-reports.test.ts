import { buildLabels } from '../../src/admin/labels';
import { wilsonInterval } from '../../src/admin/statistics';
import { testConfig } from '../support/config';
import type { DecisionSummary } from '../../src/decision/types';
import { loadKnowledge } from '../../src/loaders';
import { BACKENDS } from '../store/backends';
import { card, hookRecord } from '../store/records';
import { get, readCsv } from './http';
import { adminAuth as auth, feedbackOn, reportSchemaValidator as validator, seededAdmin } from './seeded-admin';

jest.setTimeout(120_000);

const kb = loadKnowledge(testConfig());
const plan = kb.plans.plans[0];
const clopidogrelRule = [...plan.items].find((e) => /clopidogrel/i.test(e.display))!;

/**
 * A cohort in November 2026, one card per patient (CYP2C19–clopidogrel, the plan's clopidogrel rule):
 *   Black or African American (2054-5)  45 patients: 27 accepted, 18 overridden (40 %)
 *   White (2106-3)                      40 patients: 36 accepted,  4 overridden (10 %)
 *   Asian (2028-9)                      30 patients: 27 accepted,  3 overridden
 *   American Indian or Alaska Native     5 patients:  4 accepted,  1 overridden  → below 11: suppressed
 * Asian is then the next smallest group: suppressed too (complementary), so AIAN cannot be subtracted out.
 */
const COHORT: Array<[race: string, accepted: number, overridden: number]> = [
  ['2054-5', 27, 18],
  ['2106-3', 36, 4],
  ['2028-9', 27, 3],
  ['1002-5', 4, 1],
];

describe.each(BACKENDS)('analyst-ready reports over HTTP on $name', (backend) => {
  const admin = seededAdmin(
    backend,
    async (store) => {
      const outcomes: Array<[DecisionSummary, 'accepted' | 'overridden']> = [];
      let p = 0;
      for (const [race, accepted, overridden] of COHORT) {
        for (let i = 0; i < accepted + overridden; i++) {
          const c = card({ planRuleId: clopidogrelRule.itemId, pgxVerdict: 'expected-ineffective' });
          const day = String(1 + (p % 28)).padStart(2, '0');
          store.enqueueAudit(
            hookRecord(
              { time: `2026-11-${day}T10:00:00.000Z`, decisions: [c], patientId: `cohort-patient-${p++}`, hookInstance: `hi-${p}` },
              { race, ethnicity: '2186-5', sex: 'female', ageBand: '45-64' },
            ),
          );
          outcomes.push([c, i < accepted ? 'accepted' : 'overridden']);
        }
      }
      await store.flush();
      for (const [c, outcome] of outcomes) await store.saveFeedback(feedbackOn(c, outcome, '2026-11-28T00:00:00.000Z'));
    },
    { labels: buildLabels(kb) },
  );

  const Q = '?since=2026-11-01&until=2026-12-01';

  test('equity: names, intervals, one adverse and one favourable disparity, suppression explained, valid against its schema', async () => {
    const res = await get(admin.app(), `/admin/equity${Q}`, auth);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(validator('equity-report')(r)).toBe(true);
    expect(r.overall).toMatchObject({ shown: 120, accepted: 94, overridden: 26, patients: 120 });

    const race = Object.fromEntries(r.dimensions.race.map((g: { group: string }) => [g.group, g]));
    expect(race['2054-5']).toMatchObject({ display: 'Black or African American', suppressed: false, shown: 45, patients: 45, overridden: 18 });
    expect(race['2054-5'].overrideRateCI95).toEqual(wilsonInterval(18, 45));
    expect(race['2054-5'].byPair).toEqual([
      expect.objectContaining({ key: 'CYP2C19:clopidogrel', display: expect.stringMatching(/^CYP2C19 \(HGNC:2621\) – clopidogrel/), shown: 45 }),
    ]);
    expect(race['1002-5']).toEqual({
      group: '1002-5',
      display: 'American Indian or Alaska Native',
      suppressed: true,
      reason: 'small-cell',
      explanation: 'fewer than 11 cards shown, or cards responded to, or unique patients',
    });
    expect(race['2028-9']).toMatchObject({ display: 'Asian', suppressed: true, reason: 'complementary' });
    expect(race['2028-9'].explanation).toMatch(/American Indian or Alaska Native/);
    expect(race['2028-9'].shown).toBeUndefined();
    expect(r.suppression.rule).toMatch(/fewer than 11/);

    // one entry per group, both rates inside it; group vs rest
    const raceDisparities = r.disparities.filter((d: { dimension: string }) => d.dimension === 'race');
    expect(raceDisparities.map((d: { display: string; direction: string }) => [d.display, d.direction])).toEqual([
      ['Black or African American', 'adverse'],
      ['White', 'favourable'],
    ]);
    const black = raceDisparities[0].measures.find((m: { metric: string }) => m.metric === 'overrideRate');
    expect(black.restRate).toBeCloseTo(8 / 75, 10);
    expect(black.difference).toBeCloseTo(18 / 45 - 8 / 75, 10);
    expect(raceDisparities[0].measures).toHaveLength(2);
    expect(r.method.description).toMatch(/n counts cards/);
    expect(r.method.multipleComparisonCorrection).toBe('none');
  });

  test('equity as CSV: ?_format=csv and Accept: text/csv give the same table; suppressed rows carry no counts', async () => {
    const a = await get(admin.app(), `/admin/equity${Q}&_format=csv`, auth);
    const b = await get(admin.app(), `/admin/equity${Q}`, { ...auth, accept: 'text/csv' });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/csv/);
    expect(a.headers['content-disposition']).toBe('attachment; filename="equity-2026-11-01-2026-12-01.csv"');
    expect(b.body).toBe(a.body);
    const { notes, rows: lines } = readCsv(a.body);
    // the rules behind the numbers come first, the same texts as the JSON's, then the header
    const json = (await get(admin.app(), `/admin/equity${Q}`, auth)).json();
    expect(a.body.startsWith('# period: 2026-11-01T00:00:00.000Z to 2026-12-01T00:00:00.000Z')).toBe(true);
    expect(notes).toContain(`method: ${json.method.description.replace(/"/g, "'")}`);
    expect(notes).toContain(`suppression: ${json.suppression.rule}`);
    expect(notes).toContain(`complementary suppression: ${json.suppression.complementary.replace(/"/g, "'")}`);
    expect(notes.join(' ')).toMatch(/no correction for multiple comparisons/);
    const header = lines[0];
    expect(header[0]).toBe('dimension');
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const aian = lines.find((l) => l[1] === '1002-5' && l[3] === '')!;
    expect(col(aian, 'group_display')).toBe('American Indian or Alaska Native');
    expect(col(aian, 'suppression_reason')).toBe('small-cell');
    expect(col(aian, 'shown')).toBe('');
    const black = lines.find((l) => l[1] === '2054-5' && l[3] === '')!;
    expect(col(black, 'shown')).toBe('45');
    expect(Number(col(black, 'override_rate_ci95_low'))).toBeCloseTo(wilsonInterval(18, 45)!.low, 10);
    expect(col(black, 'disparity_direction')).toBe('adverse');
    // JSON stays the default for a browser-like Accept
    const browserLike = await get(admin.app(), `/admin/equity${Q}`, { ...auth, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browserLike.headers['content-type']).toMatch(/application\/json/);
  });

  test('analytics: plan rule titles, pair names, patients, intervals and a daily series; CSV beside JSON', async () => {
    const res = await get(admin.app(), `/admin/analytics${Q}`, auth);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(validator('analytics-report')(r)).toBe(true);
    expect(r.totals).toMatchObject({ shown: 120, patients: 120, accepted: 94, overridden: 26 });
    expect(r.totals.overrideRateCI95).toEqual(wilsonInterval(26, 120));
    const rule = r.byPlanRule[0];
    expect(rule.key).toBe(clopidogrelRule.itemId);
    expect(rule.display).toContain(plan.name);
    expect(rule.display).not.toBe(rule.key);
    expect(r.byCardKind[0]).toMatchObject({ key: 'pgx-recommendation', display: 'Pharmacogenomic recommendation' });
    expect(r.seriesInterval).toBe('day');
    expect(r.series).toHaveLength(30);
    expect(r.series.reduce((s: number, p: { shown: number }) => s + p.shown, 0)).toBe(120);
    expect(r.series[29]).toMatchObject({ start: '2026-11-30T00:00:00.000Z', shown: 0, overrideRate: null, overrideRateCI95: null });

    const csv = await get(admin.app(), `/admin/analytics${Q}&_format=csv`, auth);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const { notes, rows } = readCsv(csv.body);
    expect(notes).toEqual([`period: ${r.period.since} to ${r.period.until} (until exclusive)`, `method: ${r.method.description}`]);
    const [header, total] = rows.map((row) => row.join(','));
    expect(header).toBe(
      'section,key,display,shown,accepted,overridden,patients,acceptance_rate,acceptance_rate_ci95_low,acceptance_rate_ci95_high,override_rate,override_rate_ci95_low,override_rate_ci95_high,above_target',
    );
    expect(total.startsWith('total,all,All cards,120,94,26,120,')).toBe(true);
  });

  test('an unknown _format is a 400 in the error catalogue shape', async () => {
    const res = await get(admin.app(), `/admin/equity${Q}&_format=xml`, auth);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PBH_ERR_VALIDATION' });
  });
});

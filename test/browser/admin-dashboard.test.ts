/**
 * The admin reports page in a real browser (Debian's chromium through playwright-core): the real service
 * on a random port with the embedded store seeded with a cohort; the page is opened without a token, the
 * token is typed, and the page reads /admin/equity, /admin/analytics, /admin/oncology and /admin/value with it and draws
 * the charts. PBH_UPDATE_SCREENSHOT=1 also refreshes docs/admin-dashboard.png.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import type { DecisionSummary } from '../../src/decision/types';
import { loadKnowledge } from '../../src/loaders';
import { projectPath } from '../../src/paths';
import { createStore } from '../../src/store/create-store';
import type { AdminStore } from '../../src/store/types';
import { card, hookRecord } from '../store/records';

const CHROMIUM = process.env.PBH_CHROMIUM_PATH || '/usr/bin/chromium';
const skip = process.env.PBH_SKIP_BROWSER_TESTS === '1';
const suite = skip ? describe.skip : describe;
const TOKEN = 'admin-token-for-browser-tests-1';

jest.setTimeout(90_000);

// one card per patient, spread over November 2026 (race, accepted, overridden)
const COHORT: Array<[string, number, number]> = [
  ['2054-5', 27, 18],
  ['2106-3', 36, 4],
  ['2028-9', 27, 3],
  ['1002-5', 4, 1],
];

suite('admin reports page in a real browser', () => {
  let app: FastifyInstance;
  let store: AdminStore;
  let browser: Browser;
  let base: string;
  const adminCalls: Array<{ url: string; status: number; auth: boolean }> = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium (or PBH_SKIP_BROWSER_TESTS=1)`);
    const config = testConfig({ adminToken: TOKEN });
    const kb = loadKnowledge(config);
    const rule = [...kb.plans.plans[0].items].find((e) => /clopidogrel/i.test(e.display))!.itemId;
    store = createStore(config) as AdminStore;
    await store.init();
    const outcomes: Array<[DecisionSummary, 'accepted' | 'overridden']> = [];
    let p = 0;
    for (const [race, accepted, overridden] of COHORT) {
      for (let i = 0; i < accepted + overridden; i++) {
        const c = card({ planRuleId: rule, pgxVerdict: p % 3 === 0 ? 'contraindicated' : 'expected-ineffective' });
        const day = String(1 + (p % 28)).padStart(2, '0');
        store.enqueueAudit(
          hookRecord(
            { time: `2026-11-${day}T10:00:00.000Z`, decisions: [c], patientId: `dash-patient-${p++}`, hookInstance: `dash-${p}` },
            { race, ethnicity: '2186-5', sex: p % 2 ? 'female' : 'male', ageBand: '45-64' },
          ),
        );
        outcomes.push([c, i < accepted ? 'accepted' : 'overridden']);
      }
    }
    await store.flush();
    for (const [c, outcome] of outcomes) {
      await store.saveFeedback({ serviceId: 'pgx-benefit-order-sign', cardUuid: c.cardUuid, outcome, outcomeTimestamp: '2026-11-29T00:00:00.000Z', acceptedSuggestions: [] });
    }
    app = await buildApp(config, { store, knowledge: kb });
    app.addHook('onResponse', async (req, reply) => {
      if (req.url.startsWith('/admin/') && !req.url.startsWith('/admin/dashboard')) {
        adminCalls.push({ url: req.url, status: reply.statusCode, auth: req.headers.authorization === `Bearer ${TOKEN}` });
      }
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  test('charts of rates with their intervals per group and over time, disparities and hidden groups explained, value by plan', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const res = await page.goto(`${base}/admin/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);

    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByLabel('From').fill('2026-11-01');
    await page.getByLabel('Until (exclusive)').fill('2026-12-01');
    await page.getByRole('button', { name: 'Show reports' }).click();
    await page.waitForSelector('#status:has-text("120 cards from 120 patients")', { timeout: 10_000 });
    expect(problems).toEqual([]); // CSP violations and script errors show up here

    // the four endpoints were read with the bearer token, which never appeared in a URL
    expect(adminCalls.map((c) => c.url.split('?')[0]).sort()).toEqual(['/admin/analytics', '/admin/equity', '/admin/oncology', '/admin/value']);
    expect(adminCalls.every((c) => c.status === 200 && c.auth && !c.url.includes(TOKEN))).toBe(true);

    const json = async (path: string) =>
      (await app.inject({ url: `${path}?since=2026-11-01&until=2026-12-01`, headers: { authorization: `Bearer ${TOKEN}` } })).json();
    const [equity, analytics, value] = await Promise.all([json('/admin/equity'), json('/admin/analytics'), json('/admin/value')]);

    // per group, both rates: Black and White shown with whiskers; AIAN (small) and Asian (complementary) hidden
    const race = page.locator('#equity-charts [data-dimension="race"]');
    for (const metric of ['acceptanceRate', 'overrideRate'] as const) {
      const chart = race.locator(`svg[data-metric="${metric}"]`);
      await expect(chart.getAttribute('aria-label')).resolves.toMatch(new RegExp(`^Race: ${metric === 'acceptanceRate' ? 'acceptance' : 'override'} rate per group`));
      const dots = chart.locator('circle.point');
      await expect(dots.evaluateAll((ds) => ds.map((d) => d.getAttribute('data-key')))).resolves.toEqual(['2054-5', '2106-3']);
      await expect(chart.locator('line.ci').count()).resolves.toBe(2);
      // the dot and whisker are the endpoint's own numbers, and the whisker spans its dot
      const black = equity.dimensions.race.find((g: { group: string }) => g.group === '2054-5');
      const ci = chart.locator('line.ci').first();
      await expect(dots.first().getAttribute('data-rate')).resolves.toBe(String(black[metric]));
      await expect(ci.getAttribute('data-low')).resolves.toBe(String(black[`${metric}CI95`].low));
      await expect(ci.getAttribute('data-high')).resolves.toBe(String(black[`${metric}CI95`].high));
      const [x1, x2] = await ci.evaluate((l) => [Number(l.getAttribute('x1')), Number(l.getAttribute('x2'))]);
      const cx = Number(await dots.first().getAttribute('cx'));
      expect(x1).toBeLessThan(cx);
      expect(x2).toBeGreaterThan(cx);
      // a flagged group says so in words, not by colour alone (every card was responded to: n is 45 for both rates)
      await expect(chart.locator('text', { hasText: 'Black or African American' }).textContent()).resolves.toBe('Black or African American (n=45) — adverse');
    }
    await expect(page.locator('#equity-charts svg').count()).resolves.toBe(8); // 4 dimensions × 2 rates

    await expect(page.locator('#disparities li').first().textContent()).resolves.toMatch(/^adverse — Race: Black or African American: acceptance rate 60\.0 % \(95 % CI /);
    await expect(page.locator('#disparities .favourable').count()).resolves.toBeGreaterThan(0);
    const hidden = (await page.locator('#suppressed li').allTextContents()).join('\n');
    expect(hidden).toMatch(/Race: American Indian or Alaska Native — fewer than 11/);
    expect(hidden).toMatch(/Race: Asian — not small itself: hidden because "American Indian or Alaska Native"/);

    // over time, both rates: one point per day with cards, inside a band; the override target drawn
    for (const metric of ['acceptanceRate', 'overrideRate']) {
      const trend = page.locator(`#trend-charts svg[data-metric="${metric}"]`);
      await expect(trend.locator('circle.point').count()).resolves.toBe(analytics.series.filter((p: Record<string, unknown>) => p[metric] !== null).length);
      await expect(trend.locator('circle.point').count()).resolves.toBe(28);
      await expect(trend.locator('polygon.band').count()).resolves.toBe(1);
    }
    await expect(page.locator('#trend-charts svg[data-metric="overrideRate"] line.target').count()).resolves.toBe(1);
    // by card kind and by gene–drug pair
    const kind = page.locator('#kind-charts svg[data-metric="acceptanceRate"]');
    await expect(kind.locator('text', { hasText: 'Pharmacogenomic recommendation (n=120)' }).count()).resolves.toBe(1);
    await expect(page.locator('#pair-charts svg[data-metric="overrideRate"] circle.point').getAttribute('data-rate')).resolves.toBe(String(analytics.byPair[0].overrideRate));

    // targeted oncology beside them: no oncology order in this cohort, so one total row with no rate
    await expect(page.locator('#oncology').isVisible()).resolves.toBe(true);
    await expect(page.locator('#oncology-table tbody tr[data-rule="all"] td').allTextContents()).resolves.toEqual(['All oncology orders', '0', '0', '0', '0', '0', '—', '0']);

    // value by plan: counts, the estimates as ranges (chart and table), the assumptions with their sources
    const byPlan = value.byPlan[0];
    const planRow = page.locator('#value-table tbody tr').first();
    await expect(planRow.locator('td').nth(1).textContent()).resolves.toBe('31'); // contraindicated cards accepted (p % 3 == 0, accepted)
    await expect(planRow.locator('td').nth(8).textContent()).resolves.toMatch(/^\$[\d,]+ – \$[\d,]+$/);
    const bar = page.locator('#value-charts svg').first().locator('rect.range');
    await expect(bar.getAttribute('data-low')).resolves.toBe(String(byPlan.estimate.avoidedCost.low));
    await expect(bar.getAttribute('data-high')).resolves.toBe(String(byPlan.estimate.avoidedCost.high));
    expect(byPlan.estimate.avoidedCost.high).toBeGreaterThan(byPlan.estimate.avoidedCost.low);
    await expect(page.locator('#value-charts svg').count()).resolves.toBe(4);
    // over time: one bar per month and plan, the endpoint's own range
    const monthly = page.locator('#value-charts svg').nth(3).locator('rect.range');
    await expect(monthly.count()).resolves.toBe(value.rows.length);
    await expect(monthly.first().getAttribute('data-key')).resolves.toBe(`2026-11/${value.rows[0].plan}`);
    await expect(monthly.first().getAttribute('data-high')).resolves.toBe(String(value.rows[0].estimate.avoidedCost.high));
    await expect(page.locator('#assumptions li[data-assumption="costPerAdr"]').textContent()).resolves.toMatch(/3244 – 5857 USD .*Bates DW/);

    await page.screenshot({ path: projectPath('test-output/admin-dashboard.png'), fullPage: true });
    if (process.env.PBH_UPDATE_SCREENSHOT === '1') await page.screenshot({ path: projectPath('docs/admin-dashboard.png'), fullPage: true });
    await page.close();
  });

  test('a wrong token shows the catalogued error, no chart', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin/dashboard`);
    await page.getByLabel('Admin token').fill('not-the-token-xxxxxxxx');
    await page.getByRole('button', { name: 'Show reports' }).click();
    await page.waitForSelector('#status.error', { timeout: 10_000 });
    await expect(page.locator('#status').textContent()).resolves.toMatch(/Unauthorized/);
    await expect(page.locator('#equity').isHidden()).resolves.toBe(true);
    await page.close();
  });
});

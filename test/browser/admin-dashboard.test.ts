/**
 * The admin reports page in a real browser (Debian's chromium through playwright-core): the real service
 * on a random port with the embedded store seeded with a cohort; the page is opened without a token, the
 * token is typed, and the page reads /admin/equity, /admin/analytics and /admin/value with it and draws
 * the charts. PBH_UPDATE_SCREENSHOT=1 also refreshes docs/admin-dashboard.png.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../src/app';
import { testConfig } from '../../src/config';
import type { DecisionSummary } from '../../src/decision/types';
import { loadKnowledge } from '../../src/knowledge/load';
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

    // the three endpoints were read with the bearer token, which never appeared in a URL
    expect(adminCalls.map((c) => c.url.split('?')[0]).sort()).toEqual(['/admin/analytics', '/admin/equity', '/admin/value']);
    expect(adminCalls.every((c) => c.status === 200 && c.auth && !c.url.includes(TOKEN))).toBe(true);

    // race chart: Black and White shown with whiskers; AIAN (small) and Asian (complementary) hidden
    const race = page.locator('#equity-charts svg').first();
    await expect(race.getAttribute('aria-label')).resolves.toMatch(/^Race/);
    const dots = race.locator('circle.point');
    await expect(dots.evaluateAll((ds) => ds.map((d) => d.getAttribute('data-group')))).resolves.toEqual(['2054-5', '2106-3']);
    await expect(race.locator('line.ci').count()).resolves.toBe(2);
    await expect(race.locator('text', { hasText: 'Black or African American (n=45)' }).count()).resolves.toBe(1);
    // whisker spans its dot
    const [ci, dot] = await Promise.all([race.locator('line.ci').first().evaluate((l) => [Number(l.getAttribute('x1')), Number(l.getAttribute('x2'))]), dots.first().getAttribute('cx')]);
    expect(ci[0]).toBeLessThan(Number(dot));
    expect(ci[1]).toBeGreaterThan(Number(dot));

    await expect(page.locator('#disparities li').first().textContent()).resolves.toMatch(/^adverse — Race: Black or African American: /);
    await expect(page.locator('#disparities .favourable').count()).resolves.toBeGreaterThan(0);
    const hidden = (await page.locator('#suppressed li').allTextContents()).join('\n');
    expect(hidden).toMatch(/Race: American Indian or Alaska Native — fewer than 11/);
    expect(hidden).toMatch(/Race: Asian — not small itself: hidden because "American Indian or Alaska Native"/);

    // over time: one point per day with responses, inside a band
    await expect(page.locator('#trend-chart circle.point').count()).resolves.toBe(28);
    await expect(page.locator('#trend-chart polygon.band').count()).resolves.toBe(1);

    // value by plan
    const planRow = page.locator('#value-table tbody tr').first();
    await expect(planRow.locator('td').nth(1).textContent()).resolves.toBe('31'); // contraindicated cards accepted (p % 3 == 0, accepted)
    await expect(planRow.locator('td').nth(7).textContent()).resolves.toMatch(/^\$[\d,]+ – \$[\d,]+$/);

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

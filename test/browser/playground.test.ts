/**
 * The playground in a real browser (Debian's chromium through playwright-core; no browser download):
 * the real service on a random port, a sample patient sent through the page, cards rendered, feedback
 * sent; and a cross-origin page that calls the service the way the public CDS Hooks sandbox does (JSON +
 * a signed JWT in Authorization, hence a CORS preflight).
 *
 * Chromium missing → every test fails with the install command, unless PBH_SKIP_BROWSER_TESTS=1.
 * PBH_UPDATE_SCREENSHOT=1 also refreshes docs/playground.png (the README's screenshot).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { buildHookRequest, type ExampleFile, type PlanBindings } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { startTestIssuer, type TestIssuer } from '../support/jwt';
import { MemoryStore } from '../support/memory-store';

const CHROMIUM = process.env.PBH_CHROMIUM_PATH || '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';
const skip = process.env.PBH_SKIP_BROWSER_TESTS === '1';
const suite = skip ? describe.skip : describe;

// The JWT audience is built from configuration, never from the Host header: the service believes it is
// published at this URL while the test reaches it on 127.0.0.1:<random port>.
const PUBLIC_BASE_URL = 'https://pbh.test';
const SIGN_SERVICE = 'pgx-benefit-order-sign';

interface Seen {
  method: string;
  url: string;
  statusCode: number;
  origin?: string;
  requestHeaders?: string;
}

suite('playground in a real browser', () => {
  let app: FastifyInstance;
  let store: MemoryStore;
  let issuer: TestIssuer;
  let browser: Browser;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`chromium not found at ${CHROMIUM}: install it with \`${INSTALL}\` (or set PBH_SKIP_BROWSER_TESTS=1 to skip browser tests)`);
    }
    issuer = await startTestIssuer('https://sandbox.cds-hooks.test');
    store = new MemoryStore();
    app = await buildApp(
      testConfig({ publicBaseUrl: PUBLIC_BASE_URL, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }] }),
      { store },
    );
    // buildApp registers the playground itself in the demo profile (testConfig)
    app.addHook('onResponse', async (request, reply) => {
      seen.push({
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        origin: request.headers.origin,
        requestHeaders: request.headers['access-control-request-headers'] as string | undefined,
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await issuer?.close();
  });

  async function openPlayground(patient: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${base}/playground?patient=${patient}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 5000 });
    expect(problems).toEqual([]); // CSP violations and script errors show up here
    return page;
  }

  /** Press "Send to service" and wait for the hook call; returns its JSON answer. */
  async function send(page: Page, expectedService: string) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/cds-services/${expectedService}`)),
      page.getByRole('button', { name: 'Send to service' }).click(),
    ]);
    expect(response.status()).toBe(200);
    return (await response.json()) as { cards: Array<{ uuid: string; summary: string; indicator: string }>; systemActions: unknown[] };
  }

  /**
   * At EHR panel width (400 px) the card reads in ten seconds: what to do and why are its first lines, nothing
   * overflows sideways. PBH_UPDATE_SCREENSHOT=1 refreshes the screenshots in docs/ (card-calibration.md).
   */
  test.each([
    ['pbh-ava', 'card-400px-ava.png', /^Use an alternative to clopidogrel/],
    ['pbh-dan', 'card-400px-dan.png', /^(Avoid|Use an alternative|Adjust)/],
  ])('%s at EHR panel width: action first, no sideways overflow', async (patient, file, firstLine) => {
    const page = await openPlayground(patient);
    try {
      await page.setViewportSize({ width: 400, height: 900 });
      await page.getByLabel(/order-sign/).check();
      await send(page, SIGN_SERVICE);
      const card = page.locator('article.card').first();
      await card.waitFor({ timeout: 3000 });
      // the detail opens with the action in bold, then "Why:"
      const strong = (await card.locator('.card-detail p').first().locator('strong').first().textContent()) ?? '';
      expect(strong).toMatch(firstLine);
      await expect(card.locator('.card-detail p').first().textContent()).resolves.toMatch(/Why: /);
      const overflow = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
        return d.documentElement.scrollWidth - d.documentElement.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      mkdirSync(projectPath('test-output'), { recursive: true });
      await card.screenshot({ path: projectPath(`test-output/${file}`) });
      if (process.env.PBH_UPDATE_SCREENSHOT === '1') await card.screenshot({ path: projectPath(`docs/${file}`) });
    } finally {
      await page.close();
    }
  });

  test('Ava + clopidogrel: a critical CYP2C19 card; accepting a suggestion sends accepted feedback', async () => {
    const page = await openPlayground('pbh-ava');
    try {
      await expect(page.getByLabel('Patient').inputValue()).resolves.toBe('pbh-ava');
      await expect(page.getByLabel(/clopidogrel/).isChecked()).resolves.toBe(true);
      await page.getByLabel(/order-sign/).check();
      const answer = await send(page, SIGN_SERVICE);

      const card = page.locator('article.card[data-indicator="critical"]').filter({ hasText: /CYP2C19/ }).filter({ hasText: /clopidogrel/i }).first();
      await card.waitFor({ timeout: 3000 });
      const summary = (await card.locator('.card-summary').textContent()) ?? '';
      expect(summary).toMatch(/CYP2C19/);
      expect(summary).toMatch(/clopidogrel/i);
      // the page shows what the service said: the same summary is in the JSON answer, as critical
      expect(answer.cards.some((c) => c.summary === summary && c.indicator === 'critical')).toBe(true);
      await expect(card.locator('.indicator').textContent()).resolves.toBe('Critical');

      const suggestion = card.locator('button.suggestion').first();
      const suggestionUuid = await suggestion.getAttribute('data-suggestion-uuid');
      expect(suggestionUuid).toBeTruthy();
      const [feedback] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/cds-services/${SIGN_SERVICE}/feedback`)),
        suggestion.click(),
      ]);
      expect(feedback.status()).toBe(200);
      const sent = JSON.parse(feedback.request().postData() ?? '{}');
      expect(sent.feedback[0]).toMatchObject({
        card: await card.getAttribute('data-card-uuid'),
        outcome: 'accepted',
        acceptedSuggestions: [{ id: suggestionUuid }],
      });
      await expect(card.locator('.applied h4').textContent()).resolves.toMatch(/^Would apply:/);
      await expect(card.locator('.feedback-status').textContent()).resolves.toMatch(/Feedback recorded \(accepted\)/);
      expect(store.feedback.some((f) => f.outcome === 'accepted' && f.acceptedSuggestions.includes(suggestionUuid!))).toBe(true);

      mkdirSync(projectPath('test-output'), { recursive: true });
      await page.screenshot({ path: projectPath('test-output/playground.png'), fullPage: true });
      if (process.env.PBH_UPDATE_SCREENSHOT === '1') await page.screenshot({ path: projectPath('docs/playground.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('keyboard only: order-select for one of two drugs; the request shown is the request sent; coverage shown per order', async () => {
    const page = await openPlayground('pbh-ben');
    try {
      await page.getByLabel(/order-select/).focus();
      await page.keyboard.press('Space');
      await page.getByLabel(/codeine/).focus();
      await page.keyboard.press('Space'); // untick codeine: only oxycodone is ordered
      await page.waitForFunction(() => /"order-select"/.test(String((globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('request-json').textContent)));
      const [call] = await Promise.all([
        page.waitForRequest((r: Request) => r.method() === 'POST' && r.url().endsWith('/cds-services/pgx-benefit-order-select')),
        page.getByRole('button', { name: 'Send to service' }).press('Enter'),
      ]);
      const sent = JSON.parse(call.postData() ?? '{}');
      expect(sent.hook).toBe('order-select');
      expect(sent.context.draftOrders.entry.map((e: { resource: { medicationCodeableConcept: { text: string } } }) => e.resource.medicationCodeableConcept.text)).toEqual([
        'oxycodone hydrochloride 5 MG Oral Tablet',
      ]);
      const response = await call.response();
      expect(response?.status()).toBe(200);
      const answer = await response!.json();

      await page.getByText('Request JSON').click();
      expect(JSON.parse((await page.locator('#request-json').textContent()) ?? '')).toEqual(sent);
      await expect(page.locator('#status').textContent()).resolves.toMatch(/^200 OK in \d+ ms/);
      await expect(page.locator('#cards article.card').count()).resolves.toBe(answer.cards.length);

      // one coverage row per order the service sent coverage-information for
      const withCoverage = (answer.systemActions as Array<{ resource?: { extension?: Array<{ url: string }> } }>).filter((a) =>
        a.resource?.extension?.some((e) => e.url.endsWith('/ext-coverage-information')),
      );
      await expect(page.locator('.coverage-table tbody tr').count()).resolves.toBe(withCoverage.length);
      if (withCoverage.length) {
        await expect(page.locator('.coverage-table tbody tr th').first().textContent()).resolves.toBe('oxycodone hydrochloride 5 MG Oral Tablet');
      }
    } finally {
      await page.close();
    }
  });

  test('override with a reason sends overridden feedback with that reason', async () => {
    const page = await openPlayground('pbh-ava');
    try {
      await send(page, SIGN_SERVICE);
      const card = page.locator('article.card').first();
      await card.waitFor({ timeout: 3000 });
      await card.getByText('Override this card').click();
      const select = card.getByLabel('Reason');
      const options = await select.locator('option').allTextContents();
      const reason = options.length > 1 ? options[1] : undefined;
      if (reason) await select.selectOption({ label: reason });
      await card.getByLabel('Comment').fill('discussed with cardiology');
      const [feedback] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/cds-services/${SIGN_SERVICE}/feedback`)),
        card.getByRole('button', { name: 'Override' }).click(),
      ]);
      expect(feedback.status()).toBe(200);
      const item = JSON.parse(feedback.request().postData() ?? '{}').feedback[0];
      expect(item.outcome).toBe('overridden');
      expect(item.overrideReason.userComment).toBe('discussed with cardiology');
      if (reason) expect([item.overrideReason.reason.display, item.overrideReason.reason.code]).toContain(reason);
      await expect(card.locator('.feedback-status').textContent()).resolves.toMatch(/Feedback recorded \(overridden\)/);
    } finally {
      await page.close();
    }
  });

  test('renders every part of a card; markdown is sanitised and only http(s) links become links', async () => {
    // a hand-made answer exercising every field, including hostile ones, in place of the service's answer
    const card = {
      uuid: '0b3c1d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
      summary: 'Test card summary',
      indicator: 'warning',
      detail: '**Bold** text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[bad](javascript:window.__xss=3)',
      source: { label: 'CPIC guideline', url: 'https://cpicpgx.org/', topic: { code: 'pgx', display: 'Pharmacogenomics' } },
      selectionBehavior: 'at-most-one',
      suggestions: [
        { label: 'Switch to prasugrel', uuid: 's-1', isRecommended: true, actions: [{ type: 'delete', description: 'Remove the clopidogrel order', resourceId: 'MedicationRequest/x-1' }] },
        { label: 'Keep the order', uuid: 's-2' },
      ],
      overrideReasons: [{ code: 'patient-preference', display: 'Patient preference' }],
      links: [
        { label: 'Guideline', url: 'https://cpicpgx.org/guidelines/', type: 'absolute' },
        { label: 'Evil', url: 'javascript:alert(1)', type: 'absolute' },
        { label: 'PA app', url: 'https://pa.example/launch', type: 'smart' },
      ],
    };
    const systemActions = [
      {
        type: 'update',
        description: 'coverage information',
        resource: {
          resourceType: 'MedicationRequest',
          id: 'x-1',
          medicationCodeableConcept: { text: 'clopidogrel 75 MG Oral Tablet' },
          extension: [
            {
              url: 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information',
              extension: [
                { url: 'covered', valueCode: 'covered' },
                { url: 'pa-needed', valueCode: 'auth-needed' },
                { url: 'reason', valueCodeableConcept: { text: 'tier 1 generic' } },
                { url: 'detail', extension: [{ url: 'code', valueCodeableConcept: { coding: [{ code: 'tier', display: 'Tier' }] } }, { url: 'value', valueString: 'generic' }] },
              ],
            },
          ],
        },
      },
    ];
    const page = await openPlayground('pbh-ava');
    try {
      await page.route(`**/cds-services/${SIGN_SERVICE}`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ cards: [card], systemActions }) }),
      );
      await page.getByRole('button', { name: 'Send to service' }).click();
      const article = page.locator('article.card--warning');
      await article.waitFor({ timeout: 3000 });
      await expect(article.locator('.indicator').textContent()).resolves.toBe('Warning');
      await expect(article.locator('.card-detail strong').textContent()).resolves.toBe('Bold');
      await expect(article.locator('.card-detail table td').count()).resolves.toBe(2);
      await expect(article.locator('.card-detail script').count()).resolves.toBe(0);
      await expect(article.locator('.card-detail [onerror]').count()).resolves.toBe(0);
      await expect(article.locator('.card-detail a[href^="javascript"]').count()).resolves.toBe(0);
      await expect(article.locator('.card-source a').getAttribute('href')).resolves.toBe('https://cpicpgx.org/');
      await expect(article.locator('.card-links a').allTextContents()).resolves.toEqual(['Guideline', 'PA app']);
      await expect(article.locator('.card-links').textContent()).resolves.toContain('SMART app');
      await expect(article.locator('button.suggestion.recommended').textContent()).resolves.toBe('★ Switch to prasugrel');
      await expect(article.getByLabel('Reason').locator('option').allTextContents()).resolves.toEqual(['Choose a reason…', 'Patient preference']);
      const row = page.locator('.coverage-table tbody tr');
      await expect(row.locator('th').textContent()).resolves.toBe('clopidogrel 75 MG Oral Tablet');
      await expect(row.locator('.badge').allTextContents()).resolves.toEqual(['covered', 'auth-needed']);
      await expect(row.textContent()).resolves.toContain('Tier: generic');
      const xss = await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss);
      expect(xss).toBeUndefined();
      mkdirSync(projectPath('test-output'), { recursive: true });
      await page.screenshot({ path: projectPath('test-output/playground-card-parts.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('CORS: a page on another origin calls the service with JSON and a signed JWT (preflight) and gets cards', async () => {
    const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
    const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
    const ava = examples.patients.find((p) => p.id === 'pbh-ava')!;
    // what the public sandbox does: the browser signs and sends; here the sandbox's server mints the token
    const sandbox = http.createServer(async (req, res) => {
      if (req.url !== '/') {
        res.writeHead(404).end();
        return;
      }
      const call = {
        url: `${base}/cds-services/${SIGN_SERVICE}`,
        token: await issuer.sign({ aud: `${PUBLIC_BASE_URL}/cds-services/${SIGN_SERVICE}` }),
        body: buildHookRequest(ava, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: crypto.randomUUID() }),
      };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>sandbox</title><pre id="result">pending</pre>
<script type="application/json" id="call">${JSON.stringify(call).replace(/</g, '\\u003c')}</script>
<script>
  const call = JSON.parse(document.getElementById('call').textContent);
  fetch(call.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + call.token }, body: JSON.stringify(call.body) })
    .then(async (r) => { document.getElementById('result').textContent = JSON.stringify({ status: r.status, body: await r.json() }); })
    .catch((e) => { document.getElementById('result').textContent = JSON.stringify({ error: String(e) }); });
</script>`);
    });
    await new Promise<void>((r) => sandbox.listen(0, '127.0.0.1', r));
    const sandboxOrigin = `http://localhost:${(sandbox.address() as AddressInfo).port}`; // another origin: other host name and port
    const page = await browser.newPage();
    try {
      await page.goto(`${sandboxOrigin}/`);
      await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('result').textContent !== 'pending', undefined, { timeout: 5000 });
      const result = JSON.parse((await page.locator('#result').textContent()) ?? '{}');
      expect(result.error).toBeUndefined();
      expect(result.status).toBe(200);
      expect(Array.isArray(result.body.cards)).toBe(true);
      expect(result.body.cards.length).toBeGreaterThan(0);

      const preflight = seen.find((s) => s.method === 'OPTIONS' && s.url === `/cds-services/${SIGN_SERVICE}` && s.origin === sandboxOrigin);
      expect(preflight).toBeDefined();
      expect(preflight!.statusCode).toBeLessThan(300);
      expect(preflight!.requestHeaders?.toLowerCase()).toContain('authorization');
      const post = seen.find((s) => s.method === 'POST' && s.url === `/cds-services/${SIGN_SERVICE}` && s.origin === sandboxOrigin);
      expect(post?.statusCode).toBe(200);
    } finally {
      await page.close();
      await new Promise<void>((r) => sandbox.close(() => r()));
    }
  });
});

if (skip) {
  test.skip('browser tests skipped (PBH_SKIP_BROWSER_TESTS=1)', () => undefined);
}

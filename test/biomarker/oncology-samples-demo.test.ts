/**
 * The two oncology sample patients where a user meets them first: the playground's sample list and the
 * request it builds, and `npm run demo` — with the specialty PA preview on the card.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { plain, runDemo } from '../../scripts/demo';
import { playground } from '../../src/playground/plugin';

jest.setTimeout(60_000);

describe('playground', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(playground);
    await app.ready();
  });
  afterAll(() => app.close());

  test('lists Leo and Maya with their tumour genes, plan and oncology order', async () => {
    const body = (await app.inject('/playground/examples')).json() as { patients: Array<{ id: string; genes: string[]; orders: Array<{ display: string }>; planName?: string }> };
    const leo = body.patients.find((p) => p.id === 'pbh-leo')!;
    expect(leo.genes).toContain('EGFR');
    expect(leo.orders[0]!.display).toMatch(/osimertinib/);
    expect(leo.planName).toBe('Sample Commercial Gold PPO 2026');
    const maya = body.patients.find((p) => p.id === 'pbh-maya')!;
    expect(maya.genes).toContain('KRAS');
    expect(maya.orders[0]!.display).toMatch(/cetuximab/);
  });

  test("the request the playground builds for Leo carries his tumour variant and his cancer, so the service can judge the CDx", async () => {
    const body = (await app.inject('/playground/examples/pbh-leo/request?hook=order-sign')).json();
    const observations = body.prefetch.pgx.entry.map((e: { resource: { code: { coding: Array<{ code: string }> } } }) => e.resource.code.coding[0]!.code);
    expect(observations).toContain('69548-6');
    expect(JSON.stringify(body.prefetch.conditions)).toContain('254637007');
  });
});

test('npm run demo: Leo gets the same-day auto-approvable PA preview, Maya the likely denial, both with the specialty pharmacy', async () => {
  let out = '';
  expect(await runDemo(['pbh-leo', 'pbh-maya'], (s) => (out += s), plain, 100)).toBe(0);
  const [leo, maya] = out.split('Maya — ');
  expect(leo).toMatch(/PA preview: auto-approvable — companion diagnostic confirmed \(PA-ONC-OSIMERTINIB\)/);
  expect(leo!.replace(/\s+/g, ' ')).toContain('Decision: same day');
  expect(leo!.replace(/\s+/g, ' ')).toContain('Sample Specialty Pharmacy (fictional)');
  expect(maya).toMatch(/PA preview: likely denied \(PA-ONC-ANTI-EGFR-CRC\)/);
  expect(maya!.replace(/\s+/g, ' ')).toContain('Prior authorization: likely-denied');
});

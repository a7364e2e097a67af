/** The two oncology sample patients (examples/patients.json) through the real service over HTTP. */
import type { FastifyInstance } from 'fastify';
import { callHook, cardFor, spec, startService } from './helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

test('Leo: EGFR L858R lung cancer, osimertinib — companion diagnostic confirmed, with the confirming result', async () => {
  for (const hook of ['order-select', 'order-sign'] as const) {
    const { cards } = await callHook(app, spec('pbh-leo'), hook);
    const card = cardFor(cards, 'osimertinib');
    expect(card.source.topic?.code).toBe('oncology-biomarker-confirmed');
    expect(card.indicator).toBe('info');
    expect(card.detail).toContain('EGFR L858R');
    expect(card.detail).toContain('Tumour tissue, lung core biopsy');
    expect(card.detail).toContain('somatic');
  }
});

test('Maya: KRAS G12D colorectal cancer, cetuximab — critical, the label requires RAS wild-type', async () => {
  const { cards } = await callHook(app, spec('pbh-maya'), 'order-sign');
  const card = cardFor(cards, 'cetuximab');
  expect(card.source.topic?.code).toBe('oncology-biomarker-contrary');
  expect(card.indicator).toBe('critical');
  expect(card.summary).toContain('KRAS G12D');
  expect(card.detail).toMatch(/KRAS\/NRAS wild-type/);
});

test("Leo's germline PGx result is still read by the PGx engine, and his tumour variant is not", async () => {
  const { cards } = await callHook(app, spec('pbh-leo', { orders: [{ rxcui: '2670', display: 'codeine sulfate 30 MG Oral Tablet' }] }), 'order-sign');
  const card = cardFor(cards, 'codeine');
  expect(card.summary).toMatch(/CYP2D6/);
  expect(card.detail ?? '').not.toMatch(/EGFR/);
});

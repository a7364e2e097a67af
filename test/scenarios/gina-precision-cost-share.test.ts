/**
 * docs/benefit-policy.md: every precision cost-share carries the GINA statement — also on a drug with no
 * CPIC gene of its own (ticagrelor, prasugrel), whose precision cost-share rests on clopidogrel's CYP2C19
 * result. Driven through the hook routes with the sample patients.
 */
import type { FastifyInstance } from 'fastify';
import { GINA_NOTE } from '../../src/decision/render-markdown';
import type { Card, HookResponse } from '../../src/cdshooks/types';
import { callHook, cardFor, spec, startService } from './helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const ALTERNATIVES = [
  { rxcui: '613391', display: 'prasugrel 10 MG Oral Tablet', name: 'prasugrel' },
  { rxcui: '1116632', display: 'ticagrelor 90 MG Oral Tablet', name: 'ticagrelor' },
];

/** the precision cost-share line of a card, and of its CRD coverage-information detail */
const precisionLine = (card: Card) => card.detail?.split('\n').find((l) => l.includes('Precision cost-share'));
function crdPrecisionDetail(res: HookResponse, drug: string): Record<string, unknown> | undefined {
  const action = res.systemActions?.find((a) => JSON.stringify(a.resource).toLowerCase().includes(drug));
  const ci = (action?.resource as { extension?: Array<{ extension?: Array<{ url: string; extension?: Array<{ url: string }> }> }> })?.extension?.[0];
  return ci?.extension?.find((e) => e.url === 'detail' && JSON.stringify(e).includes('precision-cost-share')) as never;
}

describe.each(ALTERNATIVES)('$name ordered for a CYP2C19 poor metabolizer (clopidogrel unsuitable)', (alt) => {
  const ava = () => spec('pbh-ava', { orders: [{ rxcui: alt.rxcui, display: alt.display }] });

  test.each(['order-select', 'order-sign'] as const)('%s: the precision cost-share comes with the GINA statement', async (hook) => {
    const res = await callHook(app, ava(), hook);
    const card = cardFor(res.cards, alt.name);
    expect(precisionLine(card)).toMatch(new RegExp(`${alt.name}.*first-line|first-line.*${alt.name}`, 'i'));
    expect(card.detail).toContain(GINA_NOTE);
    if (hook === 'order-sign') {
      expect(JSON.stringify(crdPrecisionDetail(res, alt.name))).toMatch(/only to judge clinical appropriateness/);
    }
  });

  test('the same order for a patient clopidogrel suits: no precision cost-share, so no statement is owed', async () => {
    const normal = spec('pbh-ava', {
      orders: [{ rxcui: alt.rxcui, display: alt.display }],
      genotypes: [{ gene: 'CYP2C19', value: 'CYP2C19 *1/*1', daysAgo: 400 }],
    });
    const res = await callHook(app, normal, 'order-sign');
    const card = res.cards.find((c) => c.summary.toLowerCase().startsWith(alt.name));
    expect(card && precisionLine(card)).toBeFalsy();
  });
});

test('clopidogrel itself (the first-line drug, with its own gene): the alternative at first-line cost-share, with the statement', async () => {
  const res = await callHook(app, spec('pbh-ava'), 'order-sign');
  const card = cardFor(res.cards, 'clopidogrel');
  expect(precisionLine(card)).toBeTruthy();
  expect(card.detail).toContain(GINA_NOTE);
});

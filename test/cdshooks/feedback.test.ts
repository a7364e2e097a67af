/** POST /cds-services/{id}/feedback: validation, issued-card check, persistence, idempotency. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { fullPrefetch, hookRequest } from '../support/fixtures';
import { MemoryStore } from '../support/memory-store';

const SERVICE = '/cds-services/pgx-benefit-order-sign';
let app: FastifyInstance;
let store: MemoryStore;
let cardUuid: string;

beforeEach(async () => {
  store = new MemoryStore();
  app = await buildApp(testConfig(), { store });
  // a real issued card: a wrong-type prefetch slot yields a data-gap card, recorded in the audit
  const res = await app.inject({
    method: 'POST',
    url: SERVICE,
    payload: hookRequest('order-sign', { prefetch: fullPrefetch({ coverage: { resourceType: 'Patient', id: 'x' } }) as never }) as never,
  });
  cardUuid = res.json().cards[0].uuid;
});
afterEach(() => app.close());

const send = (payload: unknown, url = `${SERVICE}/feedback`) => app.inject({ method: 'POST', url, payload: payload as object });
const accepted = () => ({ card: cardUuid, outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z' });

test('accepted feedback on an issued card is persisted', async () => {
  const res = await send({ feedback: [accepted()] });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ received: 1, duplicates: 0, persisted: true });
  expect(store.feedback).toEqual([
    { serviceId: 'pgx-benefit-order-sign', cardUuid, outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z', acceptedSuggestions: [] },
  ]);
});

test('overridden feedback keeps the reason coding and comment', async () => {
  const item = {
    card: cardUuid,
    outcome: 'overridden',
    overrideReason: { reason: { system: 'http://example.org/override', code: 'patient-declined', display: 'Patient declined' }, userComment: 'discussed' },
    outcomeTimestamp: '2026-11-23T10:01:00Z',
  };
  expect((await send({ feedback: [item] })).statusCode).toBe(200);
  expect(store.feedback[0].overrideReason).toEqual({ system: 'http://example.org/override', code: 'patient-declined', display: 'Patient declined', comment: 'discussed' });
});

test('repeating the same feedback is idempotent (200, counted as duplicate, stored once)', async () => {
  await send({ feedback: [accepted()] });
  const again = await send({ feedback: [accepted()] });
  expect(again.statusCode).toBe(200);
  expect(again.json()).toEqual({ received: 1, duplicates: 1, persisted: true });
  expect(store.feedback).toHaveLength(1);
});

test('a card this service never issued → 404 PBH_ERR_CARD_NOT_FOUND, nothing saved', async () => {
  const res = await send({ feedback: [accepted(), { ...accepted(), card: randomUUID() }] });
  expect(res.statusCode).toBe(404);
  expect(res.json().code).toBe('PBH_ERR_CARD_NOT_FOUND');
  expect(store.feedback).toHaveLength(0);
});

test('a card issued by another service → 404', async () => {
  const res = await send({ feedback: [accepted()] }, '/cds-services/pgx-benefit-order-select/feedback');
  expect(res.statusCode).toBe(404);
});

test('accepting a suggestion the card did not offer → 400', async () => {
  const res = await send({ feedback: [{ ...accepted(), acceptedSuggestions: [{ id: randomUUID() }] }] });
  expect(res.statusCode).toBe(400);
  expect(res.json().code).toBe('PBH_ERR_VALIDATION');
});

test.each([
  ['overrideReason on an accepted outcome', { overrideReason: { userComment: 'x' } }],
  ['acceptedSuggestions on an overridden outcome', { outcome: 'overridden', acceptedSuggestions: [{ id: 'a' }] }],
  ['unknown outcome', { outcome: 'ignored' }],
  ['card not a uuid', { card: 'card-1' }],
  ['timestamp not a date-time', { outcomeTimestamp: 'yesterday' }],
])('incoherent or invalid item (%s) → 400', async (_name, patch) => {
  const res = await send({ feedback: [{ ...accepted(), ...patch }] });
  expect(res.statusCode).toBe(400);
  expect(res.json().code).toBe('PBH_ERR_VALIDATION');
});

test('batches over 100 items → 400', async () => {
  const res = await send({ feedback: Array.from({ length: 101 }, accepted) });
  expect(res.statusCode).toBe(400);
  expect(res.json().instancePath).toBe('/feedback');
});

test('without a store, feedback is validated but not persisted', async () => {
  const bare = await buildApp(testConfig());
  const res = await bare.inject({ method: 'POST', url: `${SERVICE}/feedback`, payload: { feedback: [accepted()] } });
  expect(res.json()).toEqual({ received: 1, duplicates: 0, persisted: false });
  const bad = await bare.inject({ method: 'POST', url: `${SERVICE}/feedback`, payload: { feedback: [] } });
  expect(bad.statusCode).toBe(400);
  await bare.close();
});

import { randomUUID } from 'node:crypto';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { buildHookRequest } from '../../src/sample-patients/build-request';
import { MemoryStore } from '../support/memory-store';
import { bindings, spec } from './helpers';

test('each hook call is audited with coarse demographics for equity monitoring — no raw ids', async () => {
  const store = new MemoryStore();
  const app = await buildApp(testConfig(), { store });
  const ava = spec('pbh-ava');
  const body = buildHookRequest(ava, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  await app.close();
  expect(store.audits).toHaveLength(1);
  const audit = store.audits[0];
  expect(audit.demographics).toEqual({ race: '2106-3', ethnicity: '2186-5', sex: 'female', ageBand: '65+' });
  expect(audit.decisions[0]).toMatchObject({ cardKind: 'pgx-recommendation', pair: 'CYP2C19:clopidogrel' });
  // no stored value is the raw patient id (resource ids of the sample data merely start with it)
  expect(JSON.stringify(audit)).not.toMatch(/"pbh-ava"|Patient\/pbh-ava"/);
  expect(audit.patientPseudonym).toMatch(/^p1:[0-9a-f]{64}$/);
  expect(JSON.stringify(audit)).not.toContain('*2/*2');
});

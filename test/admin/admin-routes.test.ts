import Fastify from 'fastify';
import { adminPlugin } from '../../src/admin/plugin';
import { testConfig } from '../../src/config';
import { pseudonymise } from '../../src/store/pseudonym';
import { BACKENDS } from '../store/backends';
import { KEY, RAW_PATIENT_ID, card, hookRecord } from '../store/records';
import { get } from './http';
import { ADMIN_TOKEN, adminAuth as auth, feedbackOn as feedback, seededAdmin } from './seeded-admin';

jest.setTimeout(60_000);

const PUBLIC_BASE_URL = 'https://pbh.example.org';

describe.each(BACKENDS)('admin endpoints on $name', (backend) => {
  // Seeded data set, in the window 2026-11-01 .. 2026-12-01:
  //  10 pgx-recommendation CYP2C19:clopidogrel: 6 accepted, 3 overridden (2 benefit-outweighs-risk,
  //     1 patient-declined; one of them was first accepted, then overridden later), 1 without feedback
  //   8 formulary-alternative rule-A: 7 accepted, 1 overridden (coverage-info-incorrect)
  //   3 step-exemption rule-B (exempt), no feedback
  //   3 pa-preview rule-C: pathways auth-needed ×2, no-auth ×1, no feedback
  //  + 1 card issued before the window (overridden) that must not count
  const admin = seededAdmin(
    backend,
    async (store) => {
      const T = '2026-11-10T12:00:00.000Z';
      const pgx = Array.from({ length: 10 }, () => card());
      const form = Array.from({ length: 8 }, () => card({ cardKind: 'formulary-alternative', pair: undefined, planRuleId: 'rule-A' }));
      const step = Array.from({ length: 3 }, () => card({ cardKind: 'step-exemption', pair: undefined, planRuleId: 'rule-B', stepTherapy: 'exempt' }));
      const pa = ['auth-needed', 'auth-needed', 'no-auth'].map((p) => card({ cardKind: 'pa-preview', pair: undefined, planRuleId: 'rule-C', paPathway: p }));
      const early = card();
      store.enqueueAudit(hookRecord({ time: T, decisions: [...pgx, ...form] }));
      store.enqueueAudit(hookRecord({ time: T, decisions: [...step, ...pa], patientId: 'other-patient', serviceId: 'pgx-benefit-order-select' }));
      store.enqueueAudit(hookRecord({ time: '2026-10-15T00:00:00.000Z', decisions: [early] }));
      await store.flush();
      const at = (m: number) => `2026-11-10T12:${String(m).padStart(2, '0')}:00.000Z`;
      for (let i = 0; i < 6; i++) await store.saveFeedback(feedback(pgx[i], 'accepted', at(1)));
      await store.saveFeedback(feedback(pgx[6], 'overridden', at(1), 'benefit-outweighs-risk'));
      await store.saveFeedback(feedback(pgx[7], 'accepted', at(1)));
      await store.saveFeedback(feedback(pgx[7], 'overridden', at(5), 'benefit-outweighs-risk')); // latest wins
      await store.saveFeedback(feedback(pgx[8], 'overridden', at(1), 'patient-declined'));
      for (let i = 0; i < 7; i++) await store.saveFeedback(feedback(form[i], 'accepted', at(2)));
      await store.saveFeedback(feedback(form[7], 'overridden', at(2), 'coverage-info-incorrect'));
      await store.saveFeedback(feedback(early, 'overridden', at(2), 'patient-declined'));
    },
    { config: { publicBaseUrl: PUBLIC_BASE_URL } },
  );

  test('no token configured → the endpoints do not exist (404)', async () => {
    const off = Fastify();
    await off.register(adminPlugin, { store: admin.store(), config: testConfig({ adminToken: undefined, publicBaseUrl: PUBLIC_BASE_URL }) });
    const res = await get(off, '/admin/analytics', auth);
    expect(res.statusCode).toBe(404);
    await off.close();
  });

  test('missing or wrong bearer token → 401 in the error catalogue shape', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-xxxxxxxxx' }, { authorization: ADMIN_TOKEN }]) {
      const res = await get(admin.app(), '/admin/audit-events', headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual({ statusCode: 401, code: 'PBH_ERR_UNAUTHORIZED', error: 'Unauthorized', message: 'Unauthorized' });
    }
  });

  test('bad query → 400 PBH_ERR_VALIDATION; raw patient ids are not accepted as a filter', async () => {
    for (const url of ['/admin/analytics?since=yesterday', `/admin/audit-events?patient=${RAW_PATIENT_ID}`, '/admin/equity?since=2026-12-01&until=2026-11-01']) {
      const res = await get(admin.app(), url, auth);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, code: 'PBH_ERR_VALIDATION' });
    }
  });

  test('GET /admin/audit-events → searchset Bundle of AuditEvents, filtered', async () => {
    const all = await get(admin.app(), '/admin/audit-events?since=2026-11-01&until=2026-12-01', auth);
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toMatch(/application\/fhir\+json/);
    const bundle = all.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(bundle.entry.every((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'AuditEvent')).toBe(true);

    const p = pseudonymise(RAW_PATIENT_ID, KEY);
    const mine = (await get(admin.app(), `/admin/audit-events?patient=${encodeURIComponent(p)}`, auth)).json();
    expect(mine.total).toBe(2); // the in-window and the early record
    const svc = (await get(admin.app(), '/admin/audit-events?service=pgx-benefit-order-select', auth)).json();
    expect(svc.total).toBe(1);
    expect(svc.entry[0].resource.entity[0].what.identifier.value).toBe(pseudonymise('other-patient', KEY));
    expect(all.body).not.toContain(RAW_PATIENT_ID);
  });

  test('GET /admin/analytics on the seeded data set', async () => {
    const res = await get(admin.app(), '/admin/analytics?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z', auth);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    // 24 cards in the window; 13 accepted, 4 overridden → 4/17 = 23.5 % > 15 %
    expect(r.totals).toMatchObject({ shown: 24, accepted: 13, overridden: 4, aboveTarget: true });
    expect(r.totals.overrideRate).toBeCloseTo(4 / 17, 10);
    const kind = (k: string) => r.byCardKind.find((g: { key: string }) => g.key === k);
    expect(kind('pgx-recommendation')).toMatchObject({ shown: 10, accepted: 6, overridden: 3, aboveTarget: true });
    expect(kind('pgx-recommendation').overrideRate).toBeCloseTo(3 / 9, 10);
    expect(kind('pgx-recommendation').overrideReasons).toEqual([
      { code: 'benefit-outweighs-risk', display: 'benefit-outweighs-risk', count: 2 },
      { code: 'patient-declined', display: 'patient-declined', count: 1 },
    ]);
    expect(kind('formulary-alternative')).toMatchObject({ shown: 8, accepted: 7, overridden: 1, overrideRate: 0.125, aboveTarget: false });
    expect(r.byPair).toEqual([expect.objectContaining({ key: 'CYP2C19:clopidogrel', shown: 10 })]);
    expect(r.byPlanRule.map((g: { key: string; shown: number }) => [g.key, g.shown])).toEqual([
      ['rule-A', 8],
      ['rule-B', 3],
      ['rule-C', 3],
    ]);
    expect(r.stepTherapyExemptionsGranted).toBe(3);
    expect(r.paPreviewsByPathway).toEqual([
      { pathway: 'auth-needed', count: 2 },
      { pathway: 'no-auth', count: 1 },
    ]);
  });

  test('GET /admin/equity: one demographic group of 24 cards from 2 patients: suppressed (too few patients), nothing small exposed', async () => {
    const res = await get(admin.app(), '/admin/equity?since=2026-11-01&until=2026-12-01', auth);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.overall).toMatchObject({ shown: 24, accepted: 13, overridden: 4, responded: 17, patients: 2 });
    expect(r.dimensions.sex).toEqual([
      { group: 'female', display: 'Female', suppressed: true, reason: 'small-cell', explanation: 'fewer than 11 unique patients' },
    ]);
    expect(r.disparities).toEqual([]);
    expect(r.method).toMatchObject({ minCellSize: 11, flagMinN: 30, flagMinDifference: 0.05, alpha: 0.05 });
  });
});

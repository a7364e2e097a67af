/**
 * /admin/oncology through the service as deployed: oncology orders signed through the hook (the sample
 * patients Leo and Maya on the sample commercial plan) are audited, and the report counts how many matched
 * the drug's indication, by plan rule and over time — from card kinds only, never a variant or a patient id.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { buildHookRequest, type ExampleSpec } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { SqlStore } from '../../src/store/sql-store';
import { BACKENDS } from '../store/backends';
import { bindings, spec } from '../scenarios/helpers';

jest.setTimeout(120_000);

const TOKEN = 'admin-token-for-oncology-tests';
const auth = { authorization: `Bearer ${TOKEN}` };
const OSIMERTINIB_RULE = 'FormularyItem-Formulary-PBH-COMM-2026-1721565';
const CETUXIMAB_RULE = 'FormularyItem-Formulary-PBH-COMM-2026-318341';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const { $id: _id, ...reportSchema } = JSON.parse(readFileSync(projectPath('profiles', 'admin', 'oncology-report.schema.json'), 'utf8'));
const validReport = ajv.compile(reportSchema);

describe.each(BACKENDS)('oncology indication-match report on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.create>>;
  let store: SqlStore;
  let app: FastifyInstance;
  let since: string;
  let until: string;

  const sign = async (patient: ExampleSpec) => {
    const body = buildHookRequest(patient, { hook: 'order-sign', now: new Date().toISOString(), bindings, hookInstance: randomUUID() });
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    expect(res.statusCode).toBe(200);
  };

  beforeAll(async () => {
    env = await backend.create();
    store = new SqlStore(env.open(), { flushIntervalMs: 20 });
    await store.init();
    app = await buildApp(testConfig({ adminToken: TOKEN }), { store });
    since = new Date(Date.now() - 86_400_000).toISOString();
    await sign(spec('pbh-leo')); // EGFR L858R, osimertinib: matched
    await sign(spec('pbh-maya')); // KRAS G12D, cetuximab: contrary
    await sign(spec('pbh-leo', { id: 'pbh-leo-untested', tumourVariants: [] })); // no EGFR result: unresolved
    await sign(spec('pbh-maya', { id: 'pbh-maya-breast', conditions: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C50.911', display: 'Breast cancer' }] })); // not a listed indication
    await store.flush();
    until = new Date(Date.now() + 86_400_000).toISOString();
  });
  afterAll(async () => {
    await app?.close();
    await store.close();
    await env.dispose();
  });

  test('share of oncology orders whose biomarker matches the indication, by plan rule, drug and day, with PA pathways', async () => {
    const res = await app.inject({ method: 'GET', url: `/admin/oncology?since=${since}&until=${until}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(validReport(r)).toBe(true);
    expect(r.totals).toMatchObject({ orders: 4, judged: 3, matched: 1, contrary: 1, unresolved: 1, indicationNotListed: 1, noCancerCoded: 0, patients: 4 });
    expect(r.totals.matchRate).toBeCloseTo(1 / 3, 9);
    expect(r.totals.matchRateCI95.low).toBeLessThan(1 / 3);
    const osimertinib = r.byPlanRule.find((g: { key: string }) => g.key === OSIMERTINIB_RULE);
    expect(osimertinib).toMatchObject({ orders: 2, matched: 1, unresolved: 1, matchRate: 0.5 });
    expect(osimertinib.display).toMatch(/osimertinib/i);
    expect(r.byPlanRule.find((g: { key: string }) => g.key === CETUXIMAB_RULE)).toMatchObject({ orders: 2, contrary: 1, indicationNotListed: 1, judged: 1, matchRate: 0 });
    expect(r.byDrug.map((g: { key: string }) => g.key).sort()).toEqual(['cetuximab', 'osimertinib']);
    // Maya's RAS-mutant cetuximab, and the same order for a breast cancer (neither criterion met): likely denied
    expect(r.paPreviewsByPathway).toEqual([
      { pathway: 'likely-denied', count: 3 },
      { pathway: 'auto-approvable', count: 1 },
    ]);
    expect(r.seriesInterval).toBe('day');
    expect(r.series.reduce((n: number, p: { orders: number }) => n + p.orders, 0)).toBe(4);
    // nothing that identifies a patient or describes a tumour
    for (const secret of ['pbh-leo', 'pbh-maya', 'Nakamura', 'L858R', 'G12D', 'Leu858Arg']) expect(res.body).not.toContain(secret);
  });

  test('the same report as CSV, and the admin token is required', async () => {
    const csv = await app.inject({ method: 'GET', url: `/admin/oncology?since=${since}&until=${until}&_format=csv`, headers: auth });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toMatch(/^# period: /);
    expect(lines[1]).toMatch(/^# method: unit: one order of a drug of the companion-diagnostic table/);
    expect(lines.find((l) => !l.startsWith('#'))).toBe(
      'section,key,display,orders,judged,matched,contrary,unresolved,indication_not_listed,no_cancer_coded,match_rate,match_rate_ci95_low,match_rate_ci95_high,overridden,patients',
    );
    expect(csv.body).toMatch(/\r\ntotal,all,All oncology orders,4,3,1,1,1,1,0,0\.333/);
    const denied = await app.inject({ method: 'GET', url: '/admin/oncology' });
    expect(denied.statusCode).toBe(401);
  });
});

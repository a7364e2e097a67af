/**
 * CFTR / ivacaftor over HTTP, from CPIC's tables: CPIC's CFTR allele functionality (PharmCAT 5431bf11
 * phenotype/CFTR.json, CPIC export 2025-11-05; terminology/sources/cpic-cftr.json) and CPIC's ivacaftor rows
 * (v1.30.0): "ivacaftor responsive in CF patients" → use per standard dosing (Moderate); "ivacaftor
 * non-responsive in CF patients" → ivacaftor is not recommended (Moderate).
 */
import type { FastifyInstance } from 'fastify';
import type { ExampleSpec } from '../../../src/sample-patients/build-request';
import { callHook, cardFor, spec, startService } from '../../scenarios/helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const IVACAFTOR = { rxcui: '1243041', display: 'ivacaftor 150 MG Oral Tablet' };
const withCftr = (value?: string): ExampleSpec =>
  spec('pbh-dan', { orders: [IVACAFTOR], genotypes: value ? [{ gene: 'CFTR', value, daysAgo: 40 }] : [], activeMedications: [] });

describe('ivacaftor with a CFTR result on file', () => {
  it('G551D/F508del: one ivacaftor-responsive allele → responsive, CPIC standard use (Moderate)', async () => {
    const c = cardFor((await callHook(app, withCftr('CFTR G551D/F508del'))).cards, 'ivacaftor');
    expect(c.summary).toMatch(/CFTR ivacaftor responsive in CF patients — standard use \(CPIC moderate\)/);
    expect(c.detail).toContain('G551D: ivacaftor responsive');
    expect(c.detail).toContain('F508del: ivacaftor non-responsive');
    expect(c.detail).toContain('rule `ivacaftor-002`');
    expect(c.indicator).not.toBe('critical'); // a warning only because the sample plan does not list ivacaftor
  });

  it('F508del/F508del: no responsive allele → non-responsive, ivacaftor not recommended', async () => {
    const c = cardFor((await callHook(app, withCftr('CFTR F508del/F508del'))).cards, 'ivacaftor');
    expect(c.summary).toMatch(/CFTR ivacaftor non-responsive in CF patients — use an alternative \(CPIC moderate\)/);
    expect(c.detail).toContain('rule `ivacaftor-001`');
  });

  it('a CFTR variant CPIC does not list (and that is not F508del) is indeterminate, never assumed non-responsive', async () => {
    const c = cardFor((await callHook(app, withCftr('CFTR G542X/G551D'))).cards, 'ivacaftor');
    expect(c.summary).toMatch(/CFTR result indeterminate/);
  });

  it('no CFTR result → CFTR untested (the old behaviour stays for a missing result)', async () => {
    const c = cardFor((await callHook(app, withCftr())).cards, 'ivacaftor');
    expect(c.summary).toMatch(/no CFTR result/);
  });
});

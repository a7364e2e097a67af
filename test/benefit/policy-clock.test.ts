/**
 * A policy criterion that asks for the date reads the request's time (the clock injected at the edge),
 * never the machine's: the same patient, the same policy, two request times, two answers.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Condition } from 'fhir/r4';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { coverageInformation, draft, orderSign } from '../support/formulary-hook';
import { coverage, SAMPLE_DIR } from './helpers';

// far from the machine's clock on purpose: a criterion reading the real date could not be met
const RECORDED = '2031-01-02';
const RECENT_ACS =
  "entry.resource.ofType(Condition).where(recordedDate <= today() and recordedDate >= today() - 30 days and now() >= @2031-01-01T00:00:00Z).exists()";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbh-policy-clock-'));
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  const policy = parseYaml(readFileSync(join(dir, 'policy.yaml'), 'utf8'));
  policy.priorAuth['PA-TICAGRELOR'].criteria = [
    { id: 'recent-acs', description: 'acute coronary syndrome recorded in the last 30 days', expression: RECENT_ACS, attachment: 'discharge summary' },
  ];
  writeFileSync(join(dir, 'policy.yaml'), stringifyYaml(policy));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function paPathwayAt(instant: string): Promise<string> {
  const app = await buildApp(testConfig({ planDir: dir }), { now: () => new Date(instant) });
  try {
    await app.ready();
    const acs: Condition = {
      resourceType: 'Condition',
      id: 'acs',
      subject: { reference: 'Patient/clock-1' },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '394659003' }] },
      recordedDate: RECORDED,
    };
    const order = draft('draft-ticagrelor', { code: '1116632', display: 'ticagrelor' }, 'clock-1');
    const response = await orderSign(app, { patientId: 'clock-1', coverage: { ...coverage('PBH-COMM-GOLD-2026'), beneficiary: { reference: 'Patient/clock-1' } }, orders: [order], conditions: [acs] });
    const pathway = coverageInformation(response, 'draft-ticagrelor')
      .get('detail')
      .find((d) => d.extension?.some((e) => e.valueCodeableConcept?.coding?.[0]?.code === 'prior-auth-pathway'));
    return pathway?.extension?.find((e) => e.url === 'value')?.valueString ?? 'no PA detail';
  } finally {
    await app.close();
  }
}

describe("a policy's today() and now() are the request's time", () => {
  it('met eight days after the diagnosis was recorded', async () => {
    expect(await paPathwayAt('2031-01-10T09:00:00.000Z')).toBe('auto-approvable');
  });

  it('not met two months later, with the same record and policy', async () => {
    expect(await paPathwayAt('2031-03-10T09:00:00.000Z')).toBe('needs-documentation');
  });
});

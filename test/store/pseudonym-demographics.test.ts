import type { Patient } from 'fhir/r4';
import { buildAuditRecord } from '../../src/store/audit-record';
import { US_CORE_ETHNICITY, US_CORE_RACE } from '../../src/fhir/systems';
import { coarseDemographics } from '../../src/store/demographics';
import { pseudonymise } from '../../src/store/pseudonym';

const OMB = 'urn:oid:2.16.840.1.113883.6.238';
const NOW = '2026-11-23T10:00:00Z';

describe('pseudonymise', () => {
  test('HMAC-SHA256 hex with a version prefix; stable per key, different across keys and ids', () => {
    const a = pseudonymise('123', 'key-one-0123456789');
    expect(a).toMatch(/^p1:[0-9a-f]{64}$/);
    expect(pseudonymise('123', 'key-one-0123456789')).toBe(a);
    expect(pseudonymise('123', 'key-two-0123456789')).not.toBe(a);
    expect(pseudonymise('124', 'key-one-0123456789')).not.toBe(a);
    // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?")
    expect(pseudonymise('what do ya want for nothing?', 'Jefe')).toBe(
      'p1:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  test('buildAuditRecord replaces raw patient and user ids; the Patient in resourcesUsed keeps only its type and version', () => {
    const r = buildAuditRecord(
      {
        time: NOW, kind: 'hook', serviceId: 's', client: {}, patientId: 'raw-1', userId: 'Practitioner/raw-2',
        resourcesUsed: [{ resourceType: 'Patient', id: 'raw-1', versionId: '4' }, { resourceType: 'Observation', id: 'obs-1' }], decisions: [], systemActions: [],
        knowledgeVersion: 'k', durationMs: 1, outcome: 'success', errors: [],
      },
      'key-0123456789abcdef',
    );
    expect(JSON.stringify(r)).not.toMatch(/raw-1|raw-2/);
    expect(r.patientPseudonym).toBe(pseudonymise('raw-1', 'key-0123456789abcdef'));
    expect(r.userPseudonym).toBe(pseudonymise('Practitioner/raw-2', 'key-0123456789abcdef'));
    expect(r.resourcesUsed).toEqual([{ resourceType: 'Patient', versionId: '4' }, { resourceType: 'Observation', id: 'obs-1' }]);
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('coarseDemographics', () => {
  const patient = (over: Partial<Patient>): Patient => ({ resourceType: 'Patient', ...over });
  const race = (...codes: string[]) => ({
    url: US_CORE_RACE,
    extension: [
      ...codes.map((code) => ({ url: 'ombCategory', valueCoding: { system: OMB, code } })),
      { url: 'detailed', valueCoding: { system: OMB, code: '2108-9' } },
      { url: 'text', valueString: 'European, self-described' },
    ],
  });
  const eth = (...codes: string[]) => ({
    url: US_CORE_ETHNICITY,
    extension: codes.map((code) => ({ url: 'ombCategory', valueCoding: { system: OMB, code } })),
  });

  test('OMB categories only; detailed codes and text never copied', () => {
    const d = coarseDemographics(
      patient({ extension: [race('2106-3'), eth('2135-2')], gender: 'female', birthDate: '1970-05-01' }),
      NOW,
    );
    expect(d).toEqual({ race: '2106-3', ethnicity: '2135-2', sex: 'female', ageBand: '45-64' });
  });

  test('several race categories → "multiple"; contradictory ethnicity, unknown codes or none → "unknown"', () => {
    expect(coarseDemographics(patient({ extension: [race('2106-3', '2054-5')] }), NOW).race).toBe('multiple');
    expect(coarseDemographics(patient({ extension: [eth('2135-2', '2186-5')] }), NOW).ethnicity).toBe('unknown');
    expect(coarseDemographics(patient({ extension: [race('UNK')] }), NOW).race).toBe('unknown');
    expect(coarseDemographics(undefined, NOW)).toEqual({ race: 'unknown', ethnicity: 'unknown', sex: 'unknown', ageBand: 'unknown' });
  });

  test('sex from administrative gender', () => {
    expect(coarseDemographics(patient({ gender: 'male' }), NOW).sex).toBe('male');
    expect(coarseDemographics(patient({ gender: 'unknown' }), NOW).sex).toBe('unknown');
  });

  test('age bands at the boundaries, using the birthday', () => {
    const band = (birthDate: string) => coarseDemographics(patient({ birthDate }), NOW).ageBand;
    expect(band('2008-11-23')).toBe('18-44'); // 18 today
    expect(band('2008-11-24')).toBe('0-17'); // 18 tomorrow
    expect(band('1961-11-23')).toBe('65+');
    expect(band('1961-11-24')).toBe('45-64');
    expect(band('2030-01-01')).toBe('unknown'); // in the future
    expect(band('garbage')).toBe('unknown');
  });

  test('partial birth dates: a band only when every possible day agrees', () => {
    const band = (birthDate: string) => coarseDemographics(patient({ birthDate }), NOW).ageBand;
    expect(band('1970')).toBe('45-64');
    expect(band('2008')).toBe('unknown'); // 17 or 18
    expect(band('2008-12')).toBe('0-17');
  });
});

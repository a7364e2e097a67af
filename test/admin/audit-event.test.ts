import { auditSearchBundle, PSEUDONYM_SYSTEM, toAuditEvent } from '../../src/admin/audit-event';
import { RAW_PATIENT_ID, hookRecord } from '../store/records';

describe('AuditRecord → FHIR AuditEvent (IHE BALP style)', () => {
  const rec = hookRecord({ errors: [], outcome: 'partial' });
  const ev = toAuditEvent(rec, 'https://pbh.example.org');

  test('type / subtype / action / outcome', () => {
    expect(ev.resourceType).toBe('AuditEvent');
    expect(ev.type).toMatchObject({ code: 'rest' });
    expect(ev.subtype?.map((c) => c.code)).toEqual(['operation', 'cds-hook:order-sign']);
    expect(ev.action).toBe('E');
    expect(ev.outcome).toBe('4');
    expect(ev.recorded).toBe(rec.time);
  });

  test('agents: source client, destination service, OAuth agent with jti only', () => {
    const codes = ev.agent.map((a) => a.type?.coding?.[0].code);
    expect(codes).toEqual(['110153', '110152', 'UserOauthAgent', 'IRCP']);
    const oauth = ev.agent[2];
    expect(oauth.policy).toEqual(['urn:ietf:params:oauth:jti:jti-abc-123']);
    expect(oauth.requestor).toBe(true);
    expect(ev.agent[1].who?.display).toBe('https://pbh.example.org/cds-services/pgx-benefit-order-sign');
  });

  test('patient entity by pseudonym only; resources used as versioned references', () => {
    const patient = ev.entity!.find((e) => e.role?.code === '1')!;
    expect(patient.what?.identifier).toEqual({ system: PSEUDONYM_SYSTEM, value: rec.patientPseudonym });
    expect(ev.entity!.some((e) => e.what?.reference === 'Observation/obs-1/_history/2')).toBe(true);
    expect(JSON.stringify(ev)).not.toContain(RAW_PATIENT_ID);
  });

  test('feedback records are "create" events; a searchset Bundle wraps them', () => {
    const fb = toAuditEvent(hookRecord({ kind: 'feedback', decisions: [] }), 'https://x');
    expect(fb.action).toBe('C');
    expect(fb.subtype?.[0].code).toBe('create');
    const b = auditSearchBundle([rec], 'https://x', 'https://x/admin/audit-events');
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(b.entry?.[0].resource?.id).toBe(rec.id);
  });
});

import type { AuditEvent, AuditEventAgent, AuditEventEntity, Bundle } from 'fhir/r4';
import type { AuditRecord } from '../store/types';

/**
 * AuditRecord → FHIR R4 AuditEvent, following the IHE Basic Audit Log Patterns (BALP) where they fit:
 * client / server agents by DICOM role (source 110153, destination 110152), an OAuth agent that carries
 * only the JWT id (`urn:ietf:params:oauth:jti:…`, BALP "OAUTHaccessTokenUse.Minimal" — never the token),
 * the patient as an entity of role Patient identified by pseudonym only, and an outcome code.
 */
export const PSEUDONYM_SYSTEM = 'urn:pbh:patient-pseudonym';
export const USER_PSEUDONYM_SYSTEM = 'urn:pbh:user-pseudonym';
export const SUBTYPE_SYSTEM = 'urn:pbh:audit-subtype';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const BALP_AGENT = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

/** R4 AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure */
const OUTCOME: Record<AuditRecord['outcome'], AuditEvent['outcome']> = { success: '0', partial: '4', error: '8' };

export function toAuditEvent(r: AuditRecord, serviceBaseUrl: string): AuditEvent {
  const hook = r.kind === 'hook';
  const agent: AuditEventAgent[] = [
    {
      type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
      who: r.client.iss ? { identifier: { system: 'urn:ietf:rfc:7519:iss', value: r.client.iss } } : undefined,
      altId: r.client.sub,
      requestor: false,
    },
    {
      type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] },
      who: { display: `${serviceBaseUrl}/cds-services/${r.serviceId}` },
      requestor: false,
    },
  ];
  if (r.client.jti) {
    agent.push({
      type: { coding: [{ system: BALP_AGENT, code: 'UserOauthAgent' }] },
      requestor: true,
      policy: [`urn:ietf:params:oauth:jti:${r.client.jti}`],
    });
  }
  if (r.userPseudonym) {
    agent.push({
      type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
      who: { identifier: { system: USER_PSEUDONYM_SYSTEM, value: r.userPseudonym } },
      requestor: true,
    });
  }
  const entity: AuditEventEntity[] = [];
  if (r.patientPseudonym) {
    entity.push({
      what: { identifier: { system: PSEUDONYM_SYSTEM, value: r.patientPseudonym } },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  }
  for (const used of r.resourcesUsed) {
    if (used.resourceType === 'Patient') continue; // already the patient entity, by pseudonym
    entity.push({
      what: { reference: used.id ? `${used.resourceType}/${used.id}${used.versionId ? `/_history/${used.versionId}` : ''}` : undefined, type: used.resourceType },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
    });
  }
  // the decisions (card kinds, rules, no PHI) as a machine-readable detail of one entity
  entity.push({
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
    name: hook ? r.hook ?? r.serviceId : 'feedback',
    description: `knowledge ${r.knowledgeVersion}${r.planVersion ? `; plan ${r.planVersion}` : ''}`,
    detail: [
      { type: 'decisions', valueString: JSON.stringify(r.decisions) },
      { type: 'systemActions', valueString: JSON.stringify(r.systemActions) },
      ...(r.hookInstance ? [{ type: 'hookInstance', valueString: r.hookInstance }] : []),
      { type: 'durationMs', valueString: String(r.durationMs) },
    ],
  });
  return {
    resourceType: 'AuditEvent',
    id: r.id,
    type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [
      hook
        ? { system: RESTFUL, code: 'operation', display: 'operation' }
        : { system: RESTFUL, code: 'create', display: 'create' },
      { system: SUBTYPE_SYSTEM, code: hook ? `cds-hook:${r.hook ?? 'unknown'}` : 'cds-feedback' },
    ],
    action: hook ? 'E' : 'C',
    recorded: r.time,
    period: { end: r.time },
    outcome: OUTCOME[r.outcome],
    outcomeDesc: r.errors.length ? r.errors.join('; ') : undefined,
    agent,
    source: {
      observer: { display: serviceBaseUrl },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity,
  };
}

/**
 * A searchset page. `next` (FHIR `Bundle.link` relation "next") is the URL of the following page, when
 * there is one. `total` (the number of matches) is given when this page holds them all; a paged result
 * omits it (optional in FHIR) rather than count a window that may span years.
 */
export function auditSearchBundle(records: AuditRecord[], serviceBaseUrl: string, selfUrl: string, next?: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? {} : { total: records.length }),
    link: [{ relation: 'self', url: selfUrl }, ...(next ? [{ relation: 'next', url: next }] : [])],
    entry: records.map((r) => ({
      fullUrl: `urn:uuid:${r.id}`,
      resource: toAuditEvent(r, serviceBaseUrl),
      search: { mode: 'match' },
    })),
  };
}

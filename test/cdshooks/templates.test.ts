/** Prefetch template rendering and patient attribution. */
import type { Resource } from 'fhir/r4';
import { belongsTo, expectedType } from '../../src/cdshooks/prefetch';
import { renderTemplate, templateValues, TemplateError } from '../../src/cdshooks/templates';

test('context tokens are replaced and URL-encoded (no query injection)', () => {
  const values = templateValues({ patientId: 'p1', userId: 'Practitioner/a&b=c', encounterId: 'e 1' });
  expect(renderTemplate('Observation?patient={{context.patientId}}&encounter={{context.encounterId}}', values)).toBe(
    'Observation?patient=p1&encounter=e%201',
  );
  expect(renderTemplate('X?u={{context.userId}}', values)).toBe('X?u=Practitioner%2Fa%26b%3Dc');
  expect(renderTemplate('Practitioner/{{userPractitionerId}}', values)).toBe('Practitioner/a%26b%3Dc');
});

test('a token without a value is an error, never an empty search (which would match everyone)', () => {
  expect(() => renderTemplate('Encounter/{{context.encounterId}}', templateValues({ patientId: 'p1' }))).toThrow(TemplateError);
});

test('expected resource type comes from the template', () => {
  expect(expectedType('Patient/{{context.patientId}}')).toBe('Patient');
  expect(expectedType('Coverage?patient={{context.patientId}}&status=active')).toBe('Coverage');
});

test('patient attribution: subject / beneficiary, relative or absolute; missing reference is not trusted', () => {
  const obs = (ref?: string) => ({ resourceType: 'Observation', ...(ref ? { subject: { reference: ref } } : {}) }) as Resource;
  expect(belongsTo(obs('Patient/p1'), 'p1')).toBe(true);
  expect(belongsTo(obs('https://ehr.example.org/fhir/Patient/p1'), 'p1')).toBe(true);
  expect(belongsTo(obs('Patient/p10'), 'p1')).toBe(false);
  expect(belongsTo(obs(), 'p1')).toBe(false);
  expect(belongsTo({ resourceType: 'Coverage', beneficiary: { reference: 'Patient/p1' } } as Resource, 'p1')).toBe(true);
  expect(belongsTo({ resourceType: 'Patient', id: 'p2' } as Resource, 'p1')).toBe(false);
});

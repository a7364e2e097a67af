/** deterministicUuid: the card and suggestion ids an EHR de-duplicates on and feedback refers to. */
import { deterministicUuid } from '../../src/decision/card-id';

const UUID_V5_LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the same parts always give the same uuid', () => {
  expect(deterministicUuid('hook-1', 'svc', 'MedicationRequest/mr-1')).toBe(deterministicUuid('hook-1', 'svc', 'MedicationRequest/mr-1'));
});

test('a different order id gives a different uuid', () => {
  expect(deterministicUuid('hook-1', 'svc', 'MedicationRequest/mr-1')).not.toBe(deterministicUuid('hook-1', 'svc', 'MedicationRequest/mr-2'));
});

test('parts are kept apart: moving a boundary between parts changes the uuid', () => {
  expect(deterministicUuid('ab', 'c')).not.toBe(deterministicUuid('a', 'bc'));
  expect(deterministicUuid('abc')).not.toBe(deterministicUuid('ab', 'c'));
});

test('it has the RFC 4122 layout (version 5, variant 10xx)', () => {
  for (const parts of [[''], ['x'], ['hook-1', 'svc', 'MedicationRequest/mr-1', 'adjust', 'Summary line']]) {
    expect(deterministicUuid(...parts)).toMatch(UUID_V5_LAYOUT);
  }
});

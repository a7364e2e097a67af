/** decide: the whole answer for one hook call, from the record and the knowledge. */
import type { MedicationRequest } from 'fhir/r4';
import { decide } from '../../src/decision/decide';
import { CRD_COVERAGE_INFORMATION_URL } from '../../src/fhir/systems';
import { ctx, cyp2c19, knowledge, patientOrdering } from './builders';

const indicatorRank = { critical: 0, warning: 1, info: 2 } as const;

it('one card per notable order, most urgent first, plus one data-gap card', () => {
  const record = patientOrdering(['simvastatin', 'febuxostat', 'clopidogrel'], {
    pgxObservations: [cyp2c19('*2/*2')],
    unavailable: [{ key: 'medications', reason: 'FHIR server timed out' }],
  });
  const { response, decisions } = decide(record, ctx(), knowledge());
  const ranks = response.cards.map((c) => indicatorRank[c.indicator]);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  expect(response.cards[0]!.indicator).toBe('critical');
  expect(decisions.map((d) => d.cardKind).sort()).toEqual(['coverage', 'data-gap', 'pgx-missing-test', 'pgx-recommendation']);
  expect(new Set(decisions.map((d) => d.cardUuid))).toEqual(new Set(response.cards.map((c) => c.uuid)));
});

it('at order-sign, each assessed order gets a coverage-information update; the request\'s own order is not modified', () => {
  const record = patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] });
  const before = structuredClone(record.draftOrders);
  const { systemActions } = decide(record, ctx(), knowledge()).response;
  expect(systemActions).toHaveLength(1);
  const [action] = systemActions;
  expect(action!.type).toBe('update');
  const updated = action!.resource as MedicationRequest;
  expect(updated.id).toBe('draft-clopidogrel');
  expect(updated.extension!.filter((e) => e.url === CRD_COVERAGE_INFORMATION_URL)).toHaveLength(1);
  expect(record.draftOrders).toEqual(before);
});

it('at order-select there are no systemActions', () => {
  const record = patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] });
  expect(decide(record, ctx({ hook: 'order-select' }), knowledge()).response.systemActions).toEqual([]);
});

import { computeAnalytics } from '../../src/admin/analytics';
import type { CardOutcomeRow } from '../../src/store/types';

const d = { race: 'unknown', ethnicity: 'unknown', sex: 'unknown', ageBand: 'unknown' };
const row = (over: Partial<CardOutcomeRow>): CardOutcomeRow => ({ cardKind: 'pgx-recommendation', demographics: d, ...over });

test('override rate = overridden / responded; cards without feedback count as shown only; flag above 15 %', () => {
  const r = computeAnalytics(
    [
      row({ outcome: 'accepted' }),
      row({ outcome: 'accepted' }),
      row({ outcome: 'accepted' }),
      row({ outcome: 'overridden', overrideCode: 'patient-declined', overrideDisplay: 'Patient declined' }),
      row({}),
      row({ cardKind: 'formulary-alternative', planRuleId: 'r1', outcome: 'accepted' }),
      row({ cardKind: 'formulary-alternative', planRuleId: 'r1', outcome: 'overridden' }),
      row({ cardKind: 'step-exemption', planRuleId: 'r2', stepTherapy: 'exempt' }),
      row({ cardKind: 'pa-preview', planRuleId: 'r3', paPathway: 'auth-needed' }),
    ],
    's',
    'u',
  );
  const pgx = r.byCardKind.find((g) => g.key === 'pgx-recommendation')!;
  expect(pgx).toMatchObject({ shown: 5, accepted: 3, overridden: 1, overrideRate: 0.25, aboveTarget: true });
  expect(pgx.overrideReasons).toEqual([{ code: 'patient-declined', display: 'Patient declined', count: 1 }]);
  const rule = r.byPlanRule.find((g) => g.key === 'r1')!;
  expect(rule.overrideReasons).toEqual([{ code: 'unspecified', display: undefined, count: 1 }]);
  expect(r.byPlanRule.find((g) => g.key === 'r2')).toMatchObject({ shown: 1, overrideRate: null, aboveTarget: false });
  expect(r.totals).toMatchObject({ shown: 9, accepted: 4, overridden: 2, overrideRate: 2 / 6 });
  expect(r.stepTherapyExemptionsGranted).toBe(1);
  expect(r.paPreviewsByPathway).toEqual([{ pathway: 'auth-needed', count: 1 }]);
});

test('an override rate of exactly 15 % is not flagged', () => {
  const rows = [
    ...Array.from({ length: 17 }, () => row({ outcome: 'accepted' })),
    ...Array.from({ length: 3 }, () => row({ outcome: 'overridden' })),
  ];
  expect(computeAnalytics(rows, 's', 'u').totals).toMatchObject({ overrideRate: 0.15, aboveTarget: false });
});

import { assessBenefit } from '../../src/benefit';
import { dispensed, input, statement, draftOrder } from './helpers';

const normal = { codeine: { verdict: 'appropriate' as const } };

describe('step therapy satisfied by history', () => {
  it('a codeine dispense within the 180-day look-back satisfies the step', () => {
    const a = assessBenefit(input('hydromorphone', normal, { record: { dispenses: [dispensed('codeine', '2026-10-01')] } }));
    expect(a.stepTherapy?.status).toBe('satisfied');
    expect(a.stepTherapy?.steps[0]!.evidence).toMatch(/MedicationDispense, 2026-10-01.*180-day look-back/);
    const covered = a.coverageInformation!.extension!.find((e) => e.url === 'covered');
    expect(covered?.valueCode).toBe('covered');
  });

  it('a MedicationStatement counts as tried', () => {
    const a = assessBenefit(input('oxycodone', normal, { record: { activeMedications: [statement('codeine', '2026-09-15')] } }));
    expect(a.stepTherapy?.status).toBe('satisfied');
  });

  it('a dispense older than the look-back does not', () => {
    const a = assessBenefit(input('hydromorphone', normal, { record: { dispenses: [dispensed('codeine', '2025-01-01')] } }));
    expect(a.stepTherapy?.status).toBe('required');
  });

  it('a date after `now` does not count (no clock: `now` is the input)', () => {
    const a = assessBenefit(input('hydromorphone', normal, { record: { dispenses: [dispensed('codeine', '2026-12-30')] } }));
    expect(a.stepTherapy?.status).toBe('required');
  });

  it('the draft order itself is not history', () => {
    const draft = { ...draftOrder('codeine', 'other-draft'), authoredOn: '2026-11-20' };
    const a = assessBenefit(input('hydromorphone', normal, { record: { activeMedications: [draft] } }));
    expect(a.stepTherapy?.status).toBe('required');
  });

  it('history wins over exemption: tried is reported as satisfied even for a poor metabolizer', () => {
    const a = assessBenefit(
      input('hydromorphone', { codeine: { verdict: 'contraindicated' } }, { record: { dispenses: [dispensed('codeine', '2026-10-01')] } }),
    );
    expect(a.stepTherapy?.status).toBe('satisfied');
  });

  it('a multi-drug step is exempt only when every option is unsuitable', () => {
    const oneBad = assessBenefit(input('rabeprazole', { omeprazole: { verdict: 'expected-ineffective' } }));
    expect(oneBad.stepTherapy?.status).toBe('required');
    const allBad = assessBenefit(
      input('rabeprazole', {
        omeprazole: { verdict: 'expected-ineffective' },
        pantoprazole: { verdict: 'expected-ineffective' },
        lansoprazole: { verdict: 'expected-ineffective' },
      }),
    );
    expect(allBad.stepTherapy?.status).toBe('exempt');
  });
});

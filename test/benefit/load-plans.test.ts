import { join } from 'node:path';
import { loadPlanCatalogue, PlanLoadError } from '../../src/loaders/plans';
import { SAMPLE_DIR } from './helpers';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

function loadError(dir: string): PlanLoadError {
  try {
    loadPlanCatalogue(dir);
  } catch (err) {
    if (err instanceof PlanLoadError) return err;
    throw err;
  }
  throw new Error('expected PlanLoadError');
}

describe('loadPlanCatalogue', () => {
  it('loads the sample plans: two plans, every listed ingredient indexed', () => {
    const c = loadPlanCatalogue(SAMPLE_DIR);
    expect(c.plans.map((p) => [p.id, p.lineOfBusiness, p.state])).toEqual([
      ['PBH-COMM-GOLD-2026', 'commercial', 'CO'],
      ['PBH-PARTD-2026', 'medicare-part-d', 'NV'],
    ]);
    const comm = c.byIdentifier.get('PBH-COMM-GOLD-2026')!;
    expect(comm.entries.get('32968')).toMatchObject({ tier: 'generic', rxnormCode: '309362', priorAuthorization: false });
    expect(comm.entries.get('1116632')).toMatchObject({ tier: 'preferred-brand', priorAuthorization: true });
    expect(comm.entries.get('3423')).toMatchObject({ stepTherapy: true, quantityLimit: true, quantityLimitDetail: 'max 6 per day; 180 per 30 d' });
    expect(comm.entries.has('861634')).toBe(false);
    expect(c.byIdentifier.get('InsurancePlan/PayerPlan-PBH-PARTD-2026')?.id).toBe('PBH-PARTD-2026');
  });

  it('loads a minimal valid fixture', () => {
    expect(loadPlanCatalogue(fixture('minimal-valid')).plans).toHaveLength(1);
  });

  it('refuses an invalid formulary, naming every bad resource with its file', () => {
    const err = loadError(fixture('broken-formulary'));
    expect(err.message).toMatch(/will not start with a partial formulary/);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        'test-plan.bundle.json: Basic/Item-no-tier: missing usdf-DrugTierID-extension: add it with the drug tier (DrugTierCS coding)',
        expect.stringMatching(/^test-plan\.bundle\.json: Basic\/Item-dangling: subject MedicationKnowledge\/Drug-missing does not resolve/),
      ]),
    );
    // a FormularyDrug without ingredient[] is not a problem: its RxNorm name says what it is
    expect(err.problems.join('\n')).not.toMatch(/Drug-ticagrelor/);
  });

  it('refuses a policy whose criteria do not compile or whose flags have no rule', () => {
    const err = loadError(fixture('broken-policy'));
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^policy\.yaml: priorAuth\.PA-OTHER\.criteria\.broken-expression: FHIRPath does not compile/),
        'policy.yaml: plans[TEST-PLAN].priorAuth: unknown criteria set PA-MISSING: define it under priorAuth or remove it',
        expect.stringMatching(/Basic\/Item-ticagrelor: flagged prior authorization .* no criteria set whose appliesTo lists .*ingredient \(1116632\): add one to priorAuth/),
        expect.stringMatching(/commercial plans must declare priorAuthTimeframes/),
      ]),
    );
  });

  it('refuses a directory that does not exist, or has no policy', () => {
    expect(loadError(fixture('nope')).problems[0]).toMatch(/cannot read plan directory/);
    expect(loadError(join(__dirname, 'fixtures')).problems).toEqual(expect.arrayContaining([expect.stringMatching(/no policy\.yaml/)]));
  });
});

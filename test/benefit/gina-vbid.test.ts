import fc from 'fast-check';
import { assessBenefit } from '../../src/benefit';
import { standardCostShare, tierCostShare, precisionCostShareEnabled, type CostShareTable, type TierPosition } from '../../src/benefit/cost-share';
import { formularyStatus, matchOrder, readPayerCosts, resolveTier, statusOf, type FormularyEntry } from '../../src/benefit/formulary';
import { resolvePlan } from '../../src/benefit/resolve-plan';
import type { GeneResult, GenomicProfile, PgxAssessment, PgxVerdict } from '../../src/pgx/types';
import { ACS, RX, commercial, gene, input, partD } from './helpers';

// ---- type level: the functions that compute tiers, eligibility and premiums-like cost-share accept no PGx data
type Genomic = PgxAssessment | GeneResult | GenomicProfile | PgxVerdict;
type AcceptsGenomic<F extends (...args: never[]) => unknown> = true extends {
  [K in keyof Parameters<F>]: Genomic extends Parameters<F>[K] ? true : Extract<Parameters<F>[K], Genomic> extends never ? false : true;
}[number]
  ? true
  : false;
const noGenomicInput: [
  AcceptsGenomic<typeof tierCostShare>,
  AcceptsGenomic<typeof standardCostShare>,
  AcceptsGenomic<typeof formularyStatus>,
  AcceptsGenomic<typeof resolvePlan>,
  AcceptsGenomic<typeof precisionCostShareEnabled>,
  AcceptsGenomic<typeof matchOrder>,
  AcceptsGenomic<typeof statusOf>,
  AcceptsGenomic<typeof resolveTier>,
  AcceptsGenomic<typeof readPayerCosts>,
] = [false, false, false, false, false, false, false, false, false];
// and the check itself bites: a function that takes a PgxAssessment is detected
const detects: AcceptsGenomic<(table: CostShareTable, p: PgxAssessment) => number> = true;

describe('GINA guard', () => {
  it('tier / eligibility / cost-share functions take no genomic parameter (type-level, checked by tsc)', () => {
    expect(noGenomicInput).toEqual([false, false, false, false, false, false, false, false, false]);
    expect(detects).toBe(true);
  });

  it('at run time, the genotype-blind functions have exactly the plan-data parameters', () => {
    expect(tierCostShare.length).toBe(2);
    expect(standardCostShare.length).toBe(2);
    expect(formularyStatus.length).toBe(2);
    const table: CostShareTable = { generic: { copay: 10, display: '$10 copay', source: 'policy' } };
    const pos: TierPosition = { covered: true, tier: 'generic' };
    expect(standardCostShare(table, pos)).toEqual({ display: '$10 copay (generic)', copay: 10 });
    const entries = new Map<string, FormularyEntry>();
    expect(formularyStatus(entries, '1').covered).toBe(false);
  });

  const verdicts: PgxVerdict[] = ['appropriate', 'adjust', 'contraindicated', 'expected-ineffective', 'no-guidance', 'untested', 'indeterminate'];
  const names = Object.keys(RX);

  it('property: genotype-aware cost-share ≤ genotype-blind, and status/tier/standard never depend on genotype', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...verdicts)),
        fc.boolean(),
        fc.boolean(),
        (order, patientVerdicts, usePartD, withAcs) => {
          const plan = usePartD ? partD() : commercial();
          const rec = { conditions: withAcs ? [ACS] : [] };
          const aware = assessBenefit(
            input(order, Object.fromEntries(Object.entries(patientVerdicts).map(([k, v]) => [k, { verdict: v }])), { plan, record: rec }),
          );
          const blind = assessBenefit(
            input(order, Object.fromEntries(names.map((n) => [n, { verdict: 'untested' as const }])), { plan, record: rec }),
          );
          expect(aware.status).toEqual(blind.status);
          expect(aware.costShare!.standard).toBe(blind.costShare!.standard);
          const pe = aware.costShare!.precisionException;
          if (pe?.appliesTo === 'order') expect(pe.copay!).toBeLessThanOrEqual(blind.costShare!.standardCopay!);
          if (pe?.appliesTo === 'alternative') {
            const alt = aware.alternatives.find((a) => a.drug.ingredientRxcui === pe.ingredientRxcui)!;
            expect(pe.copay!).toBeLessThanOrEqual(plan.costShare[alt.status.tier!]!.copay!);
          }
          expect(blind.costShare!.precisionException).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('VBID precision cost-share', () => {
  const pm = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };

  it('clopidogrel unsuitable → ticagrelor/prasugrel shown at the first-line (generic) cost-share', () => {
    const a = assessBenefit(input('clopidogrel', pm, { record: { conditions: [ACS] } }));
    expect(a.costShare!.standard).toBe('$10 copay (generic)');
    expect(a.costShare!.precisionException).toMatchObject({ appliesTo: 'alternative', copay: 10, costShare: '$10 copay (first-line cost-share)' });
    const alt = a.alternatives.find((x) => x.drug.ingredientRxcui === a.costShare!.precisionException!.ingredientRxcui)!;
    expect(alt.costShare?.precisionException?.copay).toBe(10);
    const detail = a.coverageInformation!.extension!.filter((e) => e.url === 'detail').map((d) => JSON.stringify(d));
    expect(detail.join()).toMatch(/used only to judge clinical appropriateness/);
  });

  it('ticagrelor ordered because clopidogrel is unsuitable → this order at first-line cost-share', () => {
    const a = assessBenefit(input('ticagrelor', pm, { record: { conditions: [ACS] } }));
    expect(a.costShare).toMatchObject({ standard: '$45 copay (preferred-brand)', standardCopay: 45 });
    expect(a.costShare!.precisionException).toMatchObject({ appliesTo: 'order', copay: 10 });
  });

  it('ticagrelor for a patient clopidogrel suits → plain cost-share, no exception', () => {
    const a = assessBenefit(input('ticagrelor', { clopidogrel: { verdict: 'appropriate' } }, { record: { conditions: [ACS] } }));
    expect(a.costShare!.precisionException).toBeUndefined();
  });

  it('the per-state switch disables it (Nevada Part D plan)', () => {
    expect(precisionCostShareEnabled(partD())).toBe(false);
    expect(precisionCostShareEnabled(commercial())).toBe(true);
    const a = assessBenefit(input('ticagrelor', pm, { plan: partD(), record: { conditions: [ACS] } }));
    expect(a.costShare!.precisionException).toBeUndefined();
    expect(a.costShare!.standardCopay).toBe(47);
    // and the same plan moved out of Nevada would apply it
    const moved = { ...partD(), state: 'MA' };
    expect(assessBenefit(input('ticagrelor', pm, { plan: moved, record: { conditions: [ACS] } })).costShare!.precisionException?.copay).toBe(5);
  });
});

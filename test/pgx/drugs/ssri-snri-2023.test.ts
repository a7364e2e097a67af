/**
 * The 2023 CPIC SSRI/SNRI guideline (Bousman et al., PMID 37032427), transcribed from CPIC data v1.30.0:
 * one case per action for each drug, the new drugs (venlafaxine, vortioxetine), sertraline's CYP2B6 pairing
 * and CPIC's own rows for an untested / uninterpretable partner gene. Through the public assessDrug API and the
 * real compiled tables.
 */
import { assessDrug } from '../../../src/pgx/assess-drug';
import type { GeneResult, PgxVerdict, RecommendationAction } from '../../../src/pgx/types';
import { drug, indeterminate, kb, profile, result, PM, LPM, IM, NM, RM, UM, cyp2c19, cyp2d6 } from './fixtures';

const cyp2b6 = (p: string) => result('CYP2B6', p, p);

type Expect = { dosing?: RegExp; text?: RegExp; strength?: string };
type Case = [string, GeneResult[], RecommendationAction, PgxVerdict, Expect?];

const cases: Case[] = [
  // citalopram / escitalopram: CYP2C19
  ['citalopram', [cyp2c19(UM)], 'consider-alternative', 'adjust', { strength: 'Strong', text: /not mainly metabolized by CYP2C19/ }],
  ['citalopram', [cyp2c19(RM)], 'standard', 'appropriate', { strength: 'Optional', text: /higher maintenance dose/ }],
  ['citalopram', [cyp2c19(NM)], 'standard', 'appropriate', { strength: 'Strong' }],
  ['citalopram', [cyp2c19(IM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /slower titration/ }],
  ['citalopram', [cyp2c19(PM)], 'consider-alternative', 'adjust', { strength: 'Strong', dosing: /50%/ }],
  ['escitalopram', [cyp2c19(LPM)], 'consider-alternative', 'adjust', { strength: 'Strong', dosing: /50%/ }],
  ['escitalopram', [cyp2c19(UM)], 'consider-alternative', 'adjust', { strength: 'Strong' }],
  // sertraline: CYP2B6 + CYP2C19
  ['sertraline', [cyp2b6(NM), cyp2c19(NM)], 'standard', 'appropriate', { strength: 'Strong' }],
  ['sertraline', [cyp2b6(NM), cyp2c19(PM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /50% below .*CYP2C19/ }],
  ['sertraline', [cyp2b6(PM), cyp2c19(NM)], 'adjust-dose', 'adjust', { strength: 'Optional', dosing: /25% below .*CYP2B6/ }],
  ['sertraline', [cyp2b6(PM), cyp2c19(PM)], 'avoid', 'contraindicated', { strength: 'Optional', text: /CYP2C19 or CYP2B6/ }],
  ['sertraline', [cyp2b6(UM), cyp2c19(UM)], 'standard', 'appropriate', { strength: 'Optional', text: /higher maintenance dose/ }],
  // paroxetine / fluvoxamine: CYP2D6 activity score
  ['paroxetine', [cyp2d6('0.0', PM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /50% lower/ }],
  ['paroxetine', [cyp2d6('0.5', IM)], 'adjust-dose', 'adjust', { strength: 'Optional', dosing: /slower titration/ }],
  ['paroxetine', [cyp2d6('2.75', UM)], 'use-alternative', 'expected-ineffective', { strength: 'Moderate' }],
  ['paroxetine', [cyp2d6('≥3.75', UM)], 'use-alternative', 'expected-ineffective'],
  ['fluvoxamine', [cyp2d6('0.0', PM)], 'adjust-dose', 'adjust', { strength: 'Optional', dosing: /25-50% lower/ }],
  ['fluvoxamine', [cyp2d6('3.0', UM)], 'no-recommendation', 'no-guidance', { strength: 'No Recommendation' }],
  // venlafaxine (new): CYP2D6
  ['venlafaxine', [cyp2d6('0.0', PM)], 'consider-alternative', 'adjust', { strength: 'Optional', text: /CYP2D6/ }],
  ['venlafaxine', [cyp2d6('1.0', IM)], 'no-recommendation', 'no-guidance', { strength: 'No Recommendation' }],
  ['venlafaxine', [cyp2d6('2.0', NM)], 'standard', 'appropriate', { strength: 'Strong' }],
  // vortioxetine (new): CYP2D6
  ['vortioxetine', [cyp2d6('0.0', PM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /half .* at most 10 mg/ }],
  ['vortioxetine', [cyp2d6('0.75', IM)], 'standard', 'appropriate', { strength: 'Moderate' }],
  ['vortioxetine', [cyp2d6('1.5', NM)], 'standard', 'appropriate', { strength: 'Strong' }],
  ['vortioxetine', [cyp2d6('3.0', UM)], 'use-alternative', 'expected-ineffective', { strength: 'Optional', text: /If it is still used: .*50% or more/ }],
  ['vortioxetine', [cyp2d6('≥6.0', UM)], 'use-alternative', 'expected-ineffective'],
];

describe('CPIC 2023 SSRI/SNRI guideline (CPIC data v1.30.0)', () => {
  const title = ([name, results, action]: Case) =>
    `${name} with ${results.map((r) => `${r.gene} ${r.lookupKey}`).join(' + ')} → ${action}`;
  for (const c of cases) it(title(c), () => {
    const [name, results, action, verdict, expected] = c;
    const a = assessDrug(drug(name), profile(...results), [], kb);
    expect(a.verdict).toBe(verdict);
    expect(a.missingGenes).toEqual([]);
    const rec = a.recommendation!;
    expect(rec.action).toBe(action);
    expect(rec.guideline).toMatchObject({
      url: 'https://cpicpgx.org/guidelines/cpic-guideline-for-ssri-and-snri-antidepressants/',
      pmid: '37032427',
      version: 'v1.30.0',
    });
    expect(rec.rowId).toMatch(new RegExp(`^${name}-\\d{3}$`));
    if (expected?.strength) expect(rec.strength).toBe(expected.strength);
    if (expected?.dosing) expect(rec.dosing).toMatch(expected.dosing);
    if (expected?.text) expect(rec.text).toMatch(expected.text);
    const step = a.rationale.find((s) => s.kind === 'recommendation');
    expect(step?.data).toMatchObject({ lookup: rec.lookup, cpicVersion: 'v1.30.0', guideline: 'ssri-and-snri-antidepressants' });
  });

  it('pairs sertraline with CYP2B6 and CYP2C19, the other SSRIs with one gene each', () => {
    expect(drugGenes('sertraline')).toEqual(['CYP2B6', 'CYP2C19']);
    expect(drugGenes('citalopram')).toEqual(['CYP2C19']);
    expect(drugGenes('escitalopram')).toEqual(['CYP2C19']);
    expect(drugGenes('paroxetine')).toEqual(['CYP2D6']);
    expect(drugGenes('venlafaxine')).toEqual(['CYP2D6']);
    expect(drugGenes('vortioxetine')).toEqual(['CYP2D6']);
  });

  it('a CYP2D6 score with no exact CPIC key falls into the highest "≥" bucket it reaches', () => {
    // CPIC's 2023 keys have 2.75 and ≥3.75 but no 4.5: a 4.5 score uses ≥4.0
    const a = assessDrug(drug('vortioxetine'), profile(cyp2d6('4.5', UM)), [], kb);
    expect(a.recommendation?.lookup).toEqual({ CYP2D6: '4.5' });
    expect(a.rationale.find((s) => s.kind === 'recommendation')?.data).toMatchObject({ rowId: expect.stringMatching(/^vortioxetine-/) });
    expect(a.recommendation?.action).toBe('use-alternative');
  });
});

describe('sertraline with CYP2B6 untested or uninterpretable (CPIC "No Result" / "Indeterminate" rows)', () => {
  it('CYP2C19 poor metabolizer, no CYP2B6 result → CPIC\'s advice for that case, and CYP2B6 is still listed as missing', () => {
    const a = assessDrug(drug('sertraline'), profile(cyp2c19(PM)), [], kb);
    expect(a.verdict).toBe('adjust');
    expect(a.missingGenes).toEqual(['CYP2B6']);
    expect(a.recommendation).toMatchObject({ action: 'adjust-dose', strength: 'Moderate', lookup: { CYP2B6: 'No Result', CYP2C19: PM } });
    expect(a.recommendation?.dosing).toMatch(/50% below/);
    expect(a.rationale.some((s) => s.kind === 'missing' && s.gene === 'CYP2B6')).toBe(true);
    expect(a.rationale.some((s) => s.kind === 'note' && /missing or cannot be interpreted/.test(s.text))).toBe(true);
  });

  it('CYP2C19 normal metabolizer, no CYP2B6 result → standard dosing (Strong)', () => {
    const a = assessDrug(drug('sertraline'), profile(cyp2c19(NM)), [], kb);
    expect(a.verdict).toBe('appropriate');
    expect(a.recommendation).toMatchObject({ action: 'standard', strength: 'Strong' });
  });

  it('CYP2B6 poor metabolizer, no CYP2C19 result → CYP2B6-based dose advice', () => {
    const a = assessDrug(drug('sertraline'), profile(cyp2b6(PM)), [], kb);
    expect(a.missingGenes).toEqual(['CYP2C19']);
    expect(a.recommendation).toMatchObject({ action: 'adjust-dose', strength: 'Optional', lookup: { CYP2B6: PM, CYP2C19: 'No Result' } });
  });

  it('CYP2B6 indeterminate, CYP2C19 intermediate → CPIC\'s "Indeterminate" row', () => {
    const a = assessDrug(drug('sertraline'), profile(indeterminate('CYP2B6', 'unknown allele'), cyp2c19(IM)), [], kb);
    expect(a.verdict).toBe('adjust');
    expect(a.recommendation).toMatchObject({ action: 'adjust-dose', lookup: { CYP2B6: 'Indeterminate', CYP2C19: IM } });
  });

  it('neither gene usable → untested (CPIC has no advice then; the test suggestion stands)', () => {
    const a = assessDrug(drug('sertraline'), {}, [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.recommendation).toBeUndefined();
    expect(a.missingGenes).toEqual(['CYP2B6', 'CYP2C19']);
  });

  it('a drug without CPIC gap rows keeps the old rule (warfarin with VKORC1 missing is untested)', () => {
    const a = assessDrug(drug('warfarin'), profile(result('CYP2C9', NM, '2.0')), [], kb);
    expect(a.verdict).toBe('untested');
  });
});

function drugGenes(name: string): string[] | undefined {
  return kb.drugs.recommendations.get(name)?.genes;
}

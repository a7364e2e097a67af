/**
 * Rows that changed between CPIC data v1.20.0 and v1.30.0 outside the SSRI/SNRI and CYP2D6 guidelines
 * (CPIC's per-drug export, PharmCAT 76bfe08c, reporter/guidelines/cpic/<drug>.json):
 * - primaquine / G6PD: one "general" population (v1.20.0 had three dose strata; we carried "standard dose"),
 *   with the malaria-guideline exceptions for G6PD Deficient;
 * - capecitabine / fluorouracil / DPYD activity score 1: a c.2846A>T homozygote may need a larger cut;
 * - atorvastatin, lovastatin, pitavastatin, pravastatin: same rows, population now spelt "general".
 * Through the public assessDrug API and the real compiled tables.
 */
import { assessDrug } from '../../../src/pgx/assess-drug';
import type { GeneResult, PgxVerdict, RecommendationAction } from '../../../src/pgx/types';
import { drug, kb, profile, result } from './fixtures';

const g6pd = (p: string) => result('G6PD', p, p);
const slco1b1 = (p: string) => result('SLCO1B1', p, p);
const dpyd = (score: string, p: string) => result('DPYD', p, score, { activityScore: score });

type Expect = { strength?: string; dosing?: RegExp; text?: RegExp; notText?: RegExp };
type Case = [string, GeneResult[], RecommendationAction, PgxVerdict, Expect?];

const cases: Case[] = [
  ['primaquine', [g6pd('Deficient')], 'avoid', 'contraindicated',
    { strength: 'Strong', text: /P\. vivax\/ovale radical cure .*once weekly for 8 weeks.*0\.25 mg\/kg/ }],
  ['primaquine', [g6pd('Deficient with CNSHA')], 'avoid', 'contraindicated', { strength: 'Strong', notText: /malaria/ }],
  ['primaquine', [g6pd('Normal')], 'standard', 'appropriate', { strength: 'Strong' }],
  ['primaquine', [g6pd('Variable')], 'monitor', 'adjust', { strength: 'Moderate', text: /measure enzyme activity/ }],
  ['capecitabine', [dpyd('1.0', 'Intermediate Metabolizer')], 'adjust-dose', 'adjust',
    { strength: 'Strong', dosing: /50%/, text: /Two copies of c\.2846A>T .*more than 50%/ }],
  ['fluorouracil', [dpyd('1', 'Intermediate Metabolizer')], 'adjust-dose', 'adjust',
    { strength: 'Strong', text: /c\.2846A>T/ }],
  ['fluorouracil', [dpyd('1.5', 'Intermediate Metabolizer')], 'adjust-dose', 'adjust',
    { strength: 'Moderate', notText: /c\.2846A>T/ }],
  ['atorvastatin', [slco1b1('Poor Function')], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /≤20 mg/ }],
  ['lovastatin', [slco1b1('Decreased Function')], 'consider-alternative', 'adjust', { strength: 'Moderate', dosing: /20/ }],
  ['pitavastatin', [slco1b1('Possible Decreased Function')], 'adjust-dose', 'adjust', { strength: 'Moderate' }],
  ['pravastatin', [slco1b1('Normal Function')], 'standard', 'appropriate', { strength: 'Strong' }],
];

describe('CPIC v1.30.0 rows: primaquine, fluoropyrimidines, statins', () => {
  for (const [name, results, action, verdict, want] of cases) {
    it(`${name} with ${results.map((r) => `${r.gene} ${r.lookupKey}`).join(' + ')} → ${action}`, () => {
      const a = assessDrug(drug(name), profile(...results), [], kb);
      expect(a.verdict).toBe(verdict);
      const rec = a.recommendation!;
      expect(rec.action).toBe(action);
      expect(rec.guideline.version).toBe('v1.30.0');
      // every one of these rows is CPIC's general population: the card names no population
      expect(rec.text).not.toMatch(/CPIC population/);
      if (want?.strength) expect(rec.strength).toBe(want.strength);
      if (want?.dosing) expect(rec.dosing).toMatch(want.dosing);
      if (want?.text) expect(rec.text).toMatch(want.text);
      if (want?.notText) expect(rec.text).not.toMatch(want.notText);
      const step = a.rationale.find((s) => s.kind === 'recommendation');
      expect(step?.data).toMatchObject({ lookup: rec.lookup, cpicVersion: 'v1.30.0' });
    });
  }

  it('primaquine now cites the expanded 2022 G6PD guideline (PMID 36049896)', () => {
    const a = assessDrug(drug('primaquine'), profile(g6pd('Deficient')), [], kb);
    expect(a.recommendation?.guideline).toMatchObject({ pmid: '36049896', version: 'v1.30.0' });
    expect(a.recommendation?.guideline.title).toMatch(/G6PD Genotype/);
  });
});

/**
 * CPIC guidelines after v1.38, read from PharmGKB's annotations of CPIC's rows in a PharmCAT copy
 * (madhavajay/PharmCAT 162d746c, reporter/prescribing_guidance.json; its CPIC export is 2026-05-05):
 * - metoprolol / CYP2D6 (2024 beta-blocker guideline, PMID 38951961): standard dosing for NM and IM, a
 *   cautious start for PM (activity score 0), no recommendation for ultrarapid scores;
 * - hydralazine / NAT2 (2025 guideline, PMID 40974042): dose by acetylator status;
 * - thiopurines / TPMT + NUDT15 (2025 update, PMID 41618934): two reduced-function results now start lower (20–50%),
 *   azathioprine poor metabolizers get a non-thiopurine, thioguanine poor metabolizers a 10-fold lower thrice-weekly dose.
 * Through the public API and the real compiled tables (and, end to end, the NAT2 gene table).
 */
import path from 'node:path';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { assessDrug, identifyDrug, interpretGenomics, type PgxKnowledge } from '../../../src/pgx';
import type { GeneResult, PgxVerdict, RecommendationAction } from '../../../src/pgx/types';
import { genotype, genotypeText, PATIENT } from '../genes/fhir-builders';
import { drug, drugKb, kb, profile, result, PM, IM, NM, cyp2d6 } from './fixtures';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const nat2 = (p: string) => result('NAT2', p, p);
const tpmt = (p: string) => result('TPMT', p, p);
const nudt15 = (p: string) => result('NUDT15', p, p);
const PIM = 'Possible Intermediate Metabolizer';
const VINTAGE = '2026-05-05 (PharmGKB)';

type Expect = { strength: string; dosing?: RegExp; text?: RegExp };
type Case = [string, GeneResult | GeneResult[], RecommendationAction, PgxVerdict, Expect];

const cases: Case[] = [
  ['metoprolol', cyp2d6('2.0', 'Normal Metabolizer'), 'standard', 'appropriate', { strength: 'Strong' }],
  ['metoprolol', cyp2d6('1.25', 'Normal Metabolizer'), 'standard', 'appropriate', { strength: 'Strong' }],
  ['metoprolol', cyp2d6('1.0', 'Intermediate Metabolizer'), 'standard', 'appropriate', { strength: 'Moderate' }],
  ['metoprolol', cyp2d6('0.25', 'Intermediate Metabolizer'), 'standard', 'appropriate', { strength: 'Moderate' }],
  ['metoprolol', cyp2d6('0.0', 'Poor Metabolizer'), 'adjust-dose', 'adjust',
    { strength: 'Moderate', dosing: /lowest recommended dose.*bradycardia.*another beta-blocker/ }],
  ['metoprolol', cyp2d6('3.0', 'Ultrarapid Metabolizer'), 'no-recommendation', 'no-guidance',
    { strength: 'No Recommendation', text: /too little evidence/ }],
  ['metoprolol', cyp2d6('≥4.0', 'Ultrarapid Metabolizer'), 'no-recommendation', 'no-guidance',
    { strength: 'No Recommendation' }],
  ['hydralazine', nat2('Rapid Metabolizer'), 'adjust-dose', 'adjust',
    { strength: 'Moderate', dosing: /75 mg\/day or more.*300 mg\/day.*50–100% higher/ }],
  ['hydralazine', nat2('Intermediate Metabolizer'), 'adjust-dose', 'adjust',
    { strength: 'Moderate', dosing: /intermediate acetylators/ }],
  ['hydralazine', nat2('Poor Metabolizer'), 'adjust-dose', 'adjust',
    { strength: 'Moderate', dosing: /40–75 mg\/day.*200 mg\/day/, text: /lupus/ }],
  // thiopurines, CPIC 2025 update
  ['azathioprine', [tpmt(NM), nudt15(NM)], 'standard', 'appropriate', { strength: 'Strong' }],
  ['azathioprine', [tpmt(IM), nudt15(NM)], 'adjust-dose', 'adjust', { strength: 'Strong', dosing: /30–80%.*≥2 mg\/kg\/day/ }],
  ['azathioprine', [tpmt(IM), nudt15(IM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /20–50%/ }],
  ['azathioprine', [tpmt(PIM), nudt15(PIM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /20–50%/ }],
  ['azathioprine', [tpmt(NM), nudt15(PM)], 'avoid', 'contraindicated', { strength: 'Strong', text: /non-thiopurine immunosuppressant/ }],
  ['mercaptopurine', [tpmt(IM), nudt15(IM)], 'adjust-dose', 'adjust', { strength: 'Strong', dosing: /20–50%.*75 mg\/m²\/day/ }],
  ['mercaptopurine', [tpmt(NM), nudt15(PIM)], 'adjust-dose', 'adjust', { strength: 'Strong', dosing: /30–80%/ }],
  ['mercaptopurine', [tpmt(NM), nudt15(PM)], 'avoid', 'contraindicated',
    { strength: 'Strong', dosing: /Malignancy only: one tenth .* three times a week/, text: /Non-malignant conditions/ }],
  ['thioguanine', [tpmt(IM), nudt15(NM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /30–80%.*40 mg\/m²\/day/ }],
  ['thioguanine', [tpmt(IM), nudt15(PIM)], 'adjust-dose', 'adjust', { strength: 'Moderate', dosing: /20–50%/ }],
  ['thioguanine', [tpmt(PM), nudt15(NM)], 'adjust-dose', 'adjust', { strength: 'Strong', dosing: /one tenth .* three times a week/ }],
];

describe('CPIC 2024–2025 guidelines: metoprolol (CYP2D6), hydralazine (NAT2), thiopurines (TPMT + NUDT15)', () => {
  for (const [name, rs, action, verdict, want] of cases) {
    const results = Array.isArray(rs) ? rs : [rs];
    it(`${name} with ${results.map((r) => `${r.gene} ${r.lookupKey}`).join(' + ')} → ${action} (${want.strength})`, () => {
      const a = assessDrug(drug(name), profile(...results), [], kb);
      expect(a.recommendation?.action).toBe(action);
      expect(a.verdict).toBe(verdict);
      const rec = a.recommendation!;
      expect(rec.strength).toBe(want.strength);
      expect(rec.guideline.version).toBe(VINTAGE);
      if (want.dosing) expect(rec.dosing).toMatch(want.dosing);
      if (want.text) expect(rec.text).toMatch(want.text);
      const step = a.rationale.find((s) => s.kind === 'recommendation');
      expect(step?.data).toMatchObject({ lookup: rec.lookup, cpicVersion: VINTAGE });
    });
  }

  it('cites the new guidelines by PMID and CPIC page', () => {
    const m = assessDrug(drug('metoprolol'), profile(cyp2d6('1.5', 'Normal Metabolizer')), [], kb).recommendation!;
    expect(m.guideline).toMatchObject({ pmid: '38951961', url: 'https://cpicpgx.org/guidelines/cpic-guideline-for-beta-blockers/' });
    const h = assessDrug(drug('hydralazine'), profile(nat2('Poor Metabolizer')), [], kb).recommendation!;
    expect(h.guideline).toMatchObject({ pmid: '40974042', url: 'https://cpicpgx.org/guidelines/cpic-guideline-for-hydralazine-and-nat2/' });
    const t = assessDrug(drug('azathioprine'), profile(tpmt(NM), nudt15(NM)), [], kb).recommendation!;
    expect(t.guideline).toMatchObject({ pmid: '41618934', title: expect.stringMatching(/2025 Update/) });
  });

  it('identified by CPIC\'s ingredient codes and by name (no product codes claimed)', () => {
    expect(identifyDrug({ coding: [{ system: RX, code: '6918' }] }, drugKb).cpicDrug).toBe('metoprolol');
    expect(identifyDrug({ coding: [{ system: RX, code: '5470' }] }, drugKb).cpicDrug).toBe('hydralazine');
    expect(identifyDrug({ text: 'Metoprolol succinate 50 MG Extended Release Oral Tablet' }, drugKb).cpicDrug).toBe('metoprolol');
    expect(identifyDrug({ text: 'Lopressor 25 mg' }, drugKb).cpicDrug).toBe('metoprolol');
    expect(identifyDrug({ text: 'hydralazine hydrochloride 25 MG Oral Tablet' }, drugKb).cpicDrug).toBe('hydralazine');
  });

  it('no NAT2 result → hydralazine untested (a test suggestion, not a guess)', () => {
    const a = assessDrug(drug('hydralazine'), profile(cyp2d6('2.0', 'Normal Metabolizer')), [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['NAT2']);
  });

  describe('end to end from FHIR genotypes', () => {
    const genes = loadGeneKnowledge(path.resolve(__dirname, '../../../terminology'));
    const e2e: PgxKnowledge = { genes, drugs: drugKb, version: 'e2e' };
    const hydralazine = () => identifyDrug({ coding: [{ system: RX, code: '5470' }] }, drugKb);

    it.each([
      ['NAT2 *5/*6', 'Poor Metabolizer', /40–75 mg\/day/],
      ['NAT2*4/*5', 'Intermediate Metabolizer', /intermediate acetylators/],
      ['NAT2 *1/*4', 'Rapid Metabolizer', /rapid acetylators/],
    ])('%s → %s → hydralazine dosing', (text, phenotype, dosing) => {
      const p = interpretGenomics([genotypeText('NAT2', text, { id: 'n1' })], PATIENT, genes);
      expect(p.NAT2).toMatchObject({ status: 'determinate', phenotype, lookupKey: phenotype });
      const a = assessDrug(hydralazine(), p, [], e2e);
      expect(a.recommendation?.dosing).toMatch(dosing);
    });

    it('NAT2 *1/*10 (uncertain function) → indeterminate, no dosing advice', () => {
      const p = interpretGenomics([genotype('NAT2', 'NAT2 *1/*10', { id: 'n2' })], PATIENT, genes);
      expect(p.NAT2?.status).toBe('indeterminate');
      const a = assessDrug(hydralazine(), p, [], e2e);
      expect(a.recommendation).toBeUndefined();
    });

    it('CYP2D6 *4/*4 + metoprolol → cautious start; *1/*1 + paroxetine phenoconverts to the same advice', () => {
      const metoprolol = identifyDrug({ text: 'Toprol XL 50 mg' }, drugKb);
      const pm = interpretGenomics([genotypeText('CYP2D6', 'CYP2D6*4/*4')], PATIENT, genes);
      expect(assessDrug(metoprolol, pm, [], e2e).recommendation?.action).toBe('adjust-dose');
      const nm = interpretGenomics([genotypeText('CYP2D6', 'CYP2D6*1/*1')], PATIENT, genes);
      expect(assessDrug(metoprolol, nm, [], e2e).recommendation?.action).toBe('standard');
      const paroxetine = identifyDrug({ text: 'Paxil 20 mg' }, drugKb);
      const a = assessDrug(metoprolol, nm, [paroxetine], e2e);
      expect(a.effectivePhenotypes[0]).toMatchObject({ genotypePhenotype: 'Normal Metabolizer', effectivePhenotype: 'Poor Metabolizer' });
      expect(a.recommendation?.action).toBe('adjust-dose');
    });
  });
});

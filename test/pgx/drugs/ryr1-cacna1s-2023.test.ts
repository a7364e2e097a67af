/**
 * Volatile anaesthetics and succinylcholine / RYR1 + CACNA1S after CPIC's 2023 changes (cpic-data change log
 * 2023-08-29 combinations, 2023-11-15 biallelic remark), transcribed from PharmGKB's annotation of CPIC's rows in
 * PharmCAT 0c6123b6 (reporter/guidelines/CPIC_desflurane_..._and_CACNA1S_RYR1.json, data 2024-03-25, CPIC v1.38):
 * both genes susceptible, and CPIC's own rows for one gene untested. Through the public assessDrug API.
 */
import { assessDrug } from '../../../src/pgx/assess-drug';
import { drug, kb, profile, result } from './fixtures';

const MHS = 'Malignant Hyperthermia Susceptibility';
const US = 'Uncertain Susceptibility';
const ryr1 = (p: string) => result('RYR1', p, p);
const cacna1s = (p: string) => result('CACNA1S', p, p);
const AGENTS = ['desflurane', 'enflurane', 'halothane', 'isoflurane', 'methoxyflurane', 'sevoflurane', 'succinylcholine'];

describe('RYR1 + CACNA1S (CPIC rows as of v1.38)', () => {
  it.each(AGENTS)('%s: susceptible in both genes → avoid (Strong), with the biallelic-myopathy remark', (name) => {
    const a = assessDrug(drug(name), profile(ryr1(MHS), cacna1s(MHS)), [], kb);
    expect(a.verdict).toBe('contraindicated');
    expect(a.recommendation).toMatchObject({ action: 'avoid', strength: 'Strong', lookup: { RYR1: MHS, CACNA1S: MHS } });
    expect(a.recommendation?.text).toMatch(/recessive myopathy/);
    expect(a.recommendation?.guideline).toMatchObject({ pmid: '30499100', version: 'v1.38.0 (PharmGKB 2024-03-25)' });
  });

  it('one gene susceptible, the other uncertain → avoid, as before', () => {
    expect(assessDrug(drug('sevoflurane'), profile(ryr1(MHS), cacna1s(US)), [], kb).recommendation?.action).toBe('avoid');
    expect(assessDrug(drug('succinylcholine'), profile(ryr1(US), cacna1s(MHS)), [], kb).recommendation?.action).toBe('avoid');
  });

  it('both uncertain → monitor; the remark is not added where nothing is contraindicated', () => {
    const a = assessDrug(drug('isoflurane'), profile(ryr1(US), cacna1s(US)), [], kb);
    expect(a.recommendation).toMatchObject({ action: 'monitor', strength: 'Strong' });
    expect(a.recommendation?.text).not.toMatch(/recessive myopathy/);
  });

  it('RYR1 susceptible, CACNA1S untested → CPIC\'s "No Result" row (avoid), CACNA1S still listed as missing', () => {
    const a = assessDrug(drug('sevoflurane'), profile(ryr1(MHS)), [], kb);
    expect(a.verdict).toBe('contraindicated');
    expect(a.missingGenes).toEqual(['CACNA1S']);
    expect(a.recommendation).toMatchObject({ action: 'avoid', lookup: { RYR1: MHS, CACNA1S: 'No Result' } });
  });

  it('RYR1 uncertain, CACNA1S untested → CPIC\'s row for that case: no genotype-driven change (info)', () => {
    const a = assessDrug(drug('desflurane'), profile(ryr1(US)), [], kb);
    expect(a.verdict).toBe('appropriate');
    expect(a.recommendation).toMatchObject({ action: 'monitor', indicator: 'info', lookup: { RYR1: US, CACNA1S: 'No Result' } });
    expect(a.recommendation?.text).toMatch(/CACNA1S was not tested/);
  });

  it('CACNA1S known, RYR1 untested → CPIC\'s rows for that case', () => {
    expect(assessDrug(drug('halothane'), profile(cacna1s(MHS)), [], kb).recommendation).toMatchObject({ action: 'avoid', lookup: { RYR1: 'No Result' } });
    expect(assessDrug(drug('halothane'), profile(cacna1s(US)), [], kb).recommendation).toMatchObject({ action: 'monitor', lookup: { RYR1: 'No Result' } });
  });

  it('neither gene tested → untested, no advice', () => {
    const a = assessDrug(drug('sevoflurane'), {}, [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.recommendation).toBeUndefined();
  });
});

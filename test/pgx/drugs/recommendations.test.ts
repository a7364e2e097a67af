/**
 * Drug → CPIC recommendation for every drug family: at least one phenotype per action per family,
 * through the public assessDrug API and the real compiled tables.
 */
import { assessDrug } from '../../../src/pgx/assess-drug';
import type { GeneResult, PgxVerdict, RecommendationAction } from '../../../src/pgx/types';
import { drug, kb, profile, result, PM, IM, NM, RM, UM, cyp2c19, cyp2d6 } from './fixtures';

const cyp2c9 = (score: string, p: string) => result('CYP2C9', p, score, { activityScore: score });
const fn = (gene: string, p: string) => result(gene, p, p);
const hla = (gene: string, key: string) => result(gene, `${gene}${key}`, key);

const V138_DRUGS = new Set(['sevoflurane', 'succinylcholine']);
// read from PharmGKB's annotations of CPIC's 2026-05-05 export (thiopurines: CPIC's 2025 update)
const LATEST_DRUGS = new Set(['azathioprine', 'mercaptopurine', 'thioguanine', 'metoprolol', 'hydralazine']);

type Case = [string, GeneResult[], RecommendationAction, PgxVerdict, { dosing?: RegExp; alternatives?: string[] }?];

const cases: Case[] = [
  // antiplatelet: clopidogrel / CYP2C19
  ['clopidogrel', [cyp2c19(PM)], 'use-alternative', 'expected-ineffective', { alternatives: ['prasugrel', 'ticagrelor'] }],
  ['clopidogrel', [cyp2c19(IM)], 'use-alternative', 'expected-ineffective'],
  ['clopidogrel', [cyp2c19(NM)], 'standard', 'appropriate'],
  ['clopidogrel', [cyp2c19(RM)], 'standard', 'appropriate'],
  ['clopidogrel', [cyp2c19(UM)], 'standard', 'appropriate'],
  // opioids / CYP2D6
  ['codeine', [cyp2d6('0.0', PM)], 'use-alternative', 'expected-ineffective'],
  ['codeine', [cyp2d6('0.5', IM)], 'monitor', 'appropriate'],
  ['codeine', [cyp2d6('2.0', NM)], 'standard', 'appropriate'],
  ['codeine', [cyp2d6('3.0', UM)], 'avoid', 'contraindicated'],
  ['codeine', [cyp2d6('≥3.0', UM)], 'avoid', 'contraindicated'],
  ['codeine', [cyp2d6('4.5', UM)], 'avoid', 'contraindicated'], // falls into CPIC's ≥3.75 bucket
  ['codeine', [cyp2d6('2.75', UM)], 'avoid', 'contraindicated'], // CPIC's 2023 key (was 3.5)
  ['codeine', [cyp2d6('≥3.75', UM)], 'avoid', 'contraindicated'],
  ['amitriptyline', [cyp2d6('2.75', UM), cyp2c19(NM)], 'use-alternative', 'expected-ineffective'],
  ['tramadol', [cyp2d6('0', PM)], 'use-alternative', 'expected-ineffective'],
  ['tramadol', [cyp2d6('2.5', UM)], 'avoid', 'contraindicated'],
  ['hydrocodone', [cyp2d6('3.0', UM)], 'no-recommendation', 'no-guidance'],
  // SSRIs/SNRIs: 2023 guideline (CPIC v1.30.0) — see ssri-snri-2023.test.ts
  // TCAs (multi-gene CYP2D6 + CYP2C19)
  ['amitriptyline', [cyp2d6('2.0', NM), cyp2c19(NM)], 'standard', 'appropriate'],
  ['amitriptyline', [cyp2d6('0', PM), cyp2c19(NM)], 'avoid', 'contraindicated'],
  ['amitriptyline', [cyp2d6('1.0', IM), cyp2c19(NM)], 'adjust-dose', 'adjust', { dosing: /25% lower/ }],
  ['nortriptyline', [cyp2d6('0', PM)], 'avoid', 'contraindicated'],
  // warfarin (CYP2C9 + VKORC1)
  ['warfarin', [cyp2c9('1.0', IM), result('VKORC1', '-1639 GA', '-1639 GA')], 'adjust-dose', 'adjust', { dosing: /pharmacogenetic algorithm/ }],
  // PPIs
  ['omeprazole', [cyp2c19(UM)], 'adjust-dose', 'adjust', { dosing: /100%/ }],
  ['pantoprazole', [cyp2c19(PM)], 'adjust-dose', 'adjust', { dosing: /50% lower daily dose/ }],
  // statins
  ['simvastatin', [fn('SLCO1B1', 'Poor Function')], 'avoid', 'contraindicated'],
  ['simvastatin', [fn('SLCO1B1', 'Decreased Function')], 'consider-alternative', 'adjust', { dosing: /below 20 mg/ }],
  ['simvastatin', [fn('SLCO1B1', 'Normal Function')], 'standard', 'appropriate'],
  ['atorvastatin', [fn('SLCO1B1', 'Poor Function')], 'adjust-dose', 'adjust', { dosing: /≤20 mg/ }],
  ['rosuvastatin', [fn('SLCO1B1', 'Normal Function'), fn('ABCG2', 'Poor Function')], 'adjust-dose', 'adjust', { dosing: /≤20 mg/ }],
  ['fluvastatin', [fn('SLCO1B1', 'Normal Function'), cyp2c9('0.0', PM)], 'adjust-dose', 'adjust', { dosing: /≤20 mg/ }],
  // thiopurines (TPMT + NUDT15)
  ['azathioprine', [fn('TPMT', PM), fn('NUDT15', NM)], 'avoid', 'contraindicated'],
  ['azathioprine', [fn('TPMT', NM), fn('NUDT15', PM)], 'avoid', 'contraindicated'],
  ['azathioprine', [fn('TPMT', IM), fn('NUDT15', NM)], 'adjust-dose', 'adjust', { dosing: /30–80%/ }],
  ['azathioprine', [fn('TPMT', NM), fn('NUDT15', NM)], 'standard', 'appropriate'],
  ['mercaptopurine', [fn('TPMT', PM), fn('NUDT15', NM)], 'avoid', 'contraindicated'],
  ['thioguanine', [fn('TPMT', IM), fn('NUDT15', IM)], 'adjust-dose', 'adjust'],
  // fluoropyrimidines / DPYD
  ['fluorouracil', [result('DPYD', IM, '1.0')], 'adjust-dose', 'adjust', { dosing: /50%/ }],
  ['capecitabine', [result('DPYD', PM, '0.0')], 'avoid', 'contraindicated'],
  ['capecitabine', [result('DPYD', NM, '2.0')], 'standard', 'appropriate'],
  // tacrolimus / CYP3A5
  ['tacrolimus', [fn('CYP3A5', NM)], 'adjust-dose', 'adjust', { dosing: /1\.5–2 times/ }],
  ['tacrolimus', [fn('CYP3A5', PM)], 'monitor', 'appropriate'],
  // atomoxetine
  ['atomoxetine', [cyp2d6('0', PM)], 'adjust-dose', 'adjust', { dosing: /40 mg\/day/ }],
  // antiemetics
  ['ondansetron', [cyp2d6('3.0', UM)], 'use-alternative', 'expected-ineffective', { alternatives: ['granisetron'] }],
  ['ondansetron', [cyp2d6('0', PM)], 'no-recommendation', 'no-guidance'],
  ['tropisetron', [cyp2d6('≥3.0', UM)], 'use-alternative', 'expected-ineffective'],
  // voriconazole
  ['voriconazole', [cyp2c19(PM)], 'avoid', 'contraindicated', { alternatives: ['posaconazole', 'amphotericin b'] }],
  ['voriconazole', [cyp2c19(NM)], 'standard', 'appropriate'],
  ['voriconazole', [cyp2c19(UM)], 'use-alternative', 'expected-ineffective'], // subtherapeutic levels
  // HLA
  ['abacavir', [hla('HLA-B', '*57:01 positive')], 'avoid', 'contraindicated'],
  ['abacavir', [hla('HLA-B', '*57:01 negative')], 'standard', 'appropriate'],
  ['allopurinol', [hla('HLA-B', '*58:01 positive')], 'avoid', 'contraindicated'],
  ['carbamazepine', [hla('HLA-B', '*15:02 positive'), hla('HLA-A', '*31:01 negative')], 'avoid', 'contraindicated'],
  ['carbamazepine', [hla('HLA-B', '*15:02 negative'), hla('HLA-A', '*31:01 negative')], 'standard', 'appropriate'],
  ['oxcarbazepine', [hla('HLA-B', '*15:02 positive')], 'avoid', 'contraindicated'],
  // phenytoin (CYP2C9 + HLA-B)
  ['phenytoin', [cyp2c9('1.0', IM), hla('HLA-B', '*15:02 negative')], 'adjust-dose', 'adjust', { dosing: /25% lower/ }],
  ['phenytoin', [cyp2c9('2.0', NM), hla('HLA-B', '*15:02 positive')], 'avoid', 'contraindicated'],
  ['fosphenytoin', [cyp2c9('0.0', PM), hla('HLA-B', '*15:02 negative')], 'adjust-dose', 'adjust', { dosing: /50% lower/ }],
  // efavirenz / CYP2B6
  ['efavirenz', [fn('CYP2B6', IM)], 'adjust-dose', 'adjust', { dosing: /400 mg\/day/ }],
  ['efavirenz', [fn('CYP2B6', NM)], 'standard', 'appropriate'],
  // NSAIDs / CYP2C9
  ['celecoxib', [cyp2c9('0.0', PM)], 'adjust-dose', 'adjust', { dosing: /25–50%/ }],
  ['ibuprofen', [cyp2c9('2.0', NM)], 'standard', 'appropriate'],
  ['meloxicam', [cyp2c9('0.0', PM)], 'avoid', 'contraindicated'], // higher exposure → toxicity, not inefficacy
  ['piroxicam', [cyp2c9('1.0', IM)], 'avoid', 'contraindicated'],
  // aminoglycosides / MT-RNR1
  ['gentamicin', [fn('MT-RNR1', 'increased risk of aminoglycoside-induced hearing loss')], 'avoid', 'contraindicated'],
  ['amikacin', [fn('MT-RNR1', 'normal risk of aminoglycoside-induced hearing loss')], 'monitor', 'appropriate'],
  // volatile anaesthetics + succinylcholine / RYR1 + CACNA1S
  ['sevoflurane', [fn('RYR1', 'Malignant Hyperthermia Susceptibility'), fn('CACNA1S', 'Uncertain Susceptibility')], 'avoid', 'contraindicated'],
  ['succinylcholine', [fn('RYR1', 'Uncertain Susceptibility'), fn('CACNA1S', 'Uncertain Susceptibility')], 'monitor', 'appropriate'],
  // G6PD
  ['rasburicase', [fn('G6PD', 'Deficient')], 'avoid', 'contraindicated'],
  ['rasburicase', [fn('G6PD', 'Normal')], 'standard', 'appropriate'],
];

describe('CPIC recommendations by drug family', () => {
  const title = ([name, results, action]: Case) =>
    `${name} with ${results.map((r) => `${r.gene} ${r.lookupKey}`).join(' + ')} → ${action}`;
  for (const c of cases) it(title(c), () => {
    const [name, results, action, verdict, expected] = c;
    // CPIC's standard dosing with everyone's monitoring reads as appropriate (docs/card-calibration.md)
    const a = assessDrug(drug(name), profile(...results), [], kb);
    expect(a.verdict).toBe(verdict);
    expect(a.recommendation?.action).toBe(action);
    expect(a.missingGenes).toEqual([]);
    const rec = a.recommendation!;
    expect(rec.guideline.url).toMatch(/^https:\/\/cpicpgx\.org\/guidelines\//);
    // vintage per guideline: RYR1/CACNA1S at v1.38 and thiopurines at CPIC's 2026-05-05 export (both via PharmGKB);
    // every other family at v1.30.0 (those unchanged since v1.20.0 checked row by row against CPIC's v1.30.0 export)
    const vintage = V138_DRUGS.has(name) ? 'v1.38.0 (PharmGKB 2024-03-25)' : LATEST_DRUGS.has(name) ? '2026-05-05 (PharmGKB)' : 'v1.30.0';
    expect(rec.guideline.version).toBe(vintage);
    expect(rec.rowId).toMatch(/^[a-z0-9-]+(-\d{3}|:no-row)$/);
    expect(rec.text.length).toBeGreaterThan(10);
    if (expected?.dosing) expect(rec.dosing).toMatch(expected.dosing);
    if (expected?.alternatives) expect([...rec.alternatives].sort()).toEqual([...expected.alternatives].sort());
    // explainability: the recommendation step names the row and the keys that selected it
    const step = a.rationale.find((s) => s.kind === 'recommendation');
    expect(step?.data).toMatchObject({ lookup: rec.lookup });
    expect(a.knowledgeVersion).toBe('test-knowledge');
  });

  it('records the genes CPIC pairs with a multi-gene drug', () => {
    const a = assessDrug(drug('warfarin'), profile(cyp2c9('2.0', NM), result('VKORC1', '-1639 GG', '-1639 GG')), [], kb);
    expect(a.relevantGenes).toEqual(['CYP2C9', 'VKORC1']);
    expect(a.genes.map((g) => g.gene)).toEqual(['CYP2C9', 'VKORC1']);
    expect(a.recommendation?.lookup).toEqual({ CYP2C9: '2.0', VKORC1: '-1639 GG' });
  });

  it('a drug without a CPIC pair has no guidance (not "standard")', () => {
    const a = assessDrug(drug('apixaban'), profile(cyp2c19(PM)), [], kb);
    expect(a.verdict).toBe('no-guidance');
    expect(a.recommendation).toBeUndefined();
    expect(a.relevantGenes).toEqual([]);
  });

  it('a phenotype with no CPIC row → no-recommendation with a reason, never standard', () => {
    const a = assessDrug(drug('clopidogrel'), profile(cyp2c19('Unusual Metabolizer')), [], kb);
    expect(a.verdict).toBe('no-guidance');
    expect(a.recommendation?.action).toBe('no-recommendation');
    expect(a.recommendation?.text).toMatch(/no recommendation/i);
    expect(a.rationale.some((s) => s.kind === 'recommendation' && /no recommendation/i.test(s.text))).toBe(true);
  });

  it('an unrecognised drug is reported as such', () => {
    const a = assessDrug({ display: 'Frobnicator', recognised: false }, profile(cyp2c19(PM)), [], kb);
    expect(a.verdict).toBe('unrecognised');
  });
});

describe('recommendation wording', () => {
  it('is built from the structured row and names a specific CPIC population when the row has one', () => {
    const a = assessDrug(drug('clopidogrel'), profile(result('CYP2C19', 'Poor Metabolizer', 'Poor Metabolizer')), [], kb);
    expect(a.recommendation?.text).toMatch(/^Use an alternative to clopidogrel/);
    expect(a.recommendation?.text).toMatch(/prasugrel/);
    expect(a.recommendation?.text).toMatch(/CPIC population: CVI ACS PCI/);
    const b = assessDrug(drug('simvastatin'), profile(result('SLCO1B1', 'Normal Function', 'Normal Function')), [], kb);
    expect(b.recommendation?.text).toBe('Use simvastatin at the standard (label) dose.');
  });
});

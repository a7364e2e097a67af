/**
 * The FDA Table of Pharmacogenetic Associations and DPWG rows extracted into
 * terminology/sources/guidance-extracted.json (FDA table: the 2021 copy, and the newer entries PharmGKB/ClinPGx
 * annotates, terminology/sources/fda-table-pharmcat-2026.json; DPWG: the 2024 copy, and the newer advice of the
 * guidelines that changed, terminology/sources/dpwg-pharmcat-2026.json), over HTTP. Table-driven: for every extracted drug, a patient with the
 * result of its first actionable row gets a card that shows that source (after CPIC's recommendation when CPIC has
 * one); a drug whose only rows for the patient are standard use or a bare association raises no warning.
 * The genotype for each result is ours to choose (below); what the card must say comes from the row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ExampleSpec } from '../../../src/sample-patients/build-request';
import type { GuidanceFile, GuidanceRow } from '../../../src/pgx/other-guidance';
import { callHook, spec, startService } from '../../scenarios/helpers';

const terminology = path.resolve(__dirname, '../../../terminology');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(terminology, file), 'utf8')) as T;
const guidance = read<GuidanceFile>('guidance.json');
const extracted = read<{ rows: GuidanceRow[]; notCarried: { drug: string; gene: string; reason: string }[] }>('sources/guidance-extracted.json');
const rxcui = new Map(read<{ drugs: { name: string; rxcui: string }[] }>('drugs.json').drugs.map((d) => [d.name, d.rxcui]));
const cpicDrugs = new Set(read<{ rows: { drug: string }[] }>('recommendations.json').rows.map((r) => r.drug));
const compiled = new Map(guidance.rows.map((r) => [r.id, r]));

/** a diplotype giving each result the rows are keyed by */
const GENOTYPE: Record<string, Record<string, string>> = {
  CYP2D6: {
    'Poor Metabolizer': '*4/*4', 'Intermediate Metabolizer': '*1/*4', 'Ultrarapid Metabolizer': '*1/*1x2',
    '0.0': '*4/*4', '0.25': '*4/*10', '0.5': '*4/*41', '0.75': '*10/*41', '1.0': '*1/*4', '3.0': '*1/*1x2',
  },
  CYP2C19: { 'Poor Metabolizer': '*2/*2', 'Intermediate Metabolizer': '*1/*2', 'Ultrarapid Metabolizer': '*17/*17' },
  CYP2C9: { 'Poor Metabolizer': '*3/*3', 'Intermediate Metabolizer': '*1/*3' },
  CYP2B6: { 'Poor Metabolizer': '*6/*6', 'Intermediate Metabolizer': '*1/*6' },
  CYP3A5: { 'Normal Metabolizer': '*1/*1', 'Intermediate Metabolizer': '*1/*3' },
  CYP3A4: { 'Poor Metabolizer': '*6/*6' },
  NAT2: { 'Poor Metabolizer': '*5/*6' },
  TPMT: { 'Poor Metabolizer': '*3A/*3A', 'Intermediate Metabolizer': '*1/*3A' },
  NUDT15: { 'Poor Metabolizer': '*3/*3', 'Intermediate Metabolizer': '*1/*3' },
  DPYD: { '0.0': '*2A/*2A', '1.0': 'Reference/*2A', '1.5': 'Reference/c.2846A>T', 'Intermediate Metabolizer': 'Reference/*2A', 'Poor Metabolizer': '*2A/*2A' },
  UGT1A1: { 'Poor Metabolizer': '*28/*28', 'Intermediate Metabolizer': '*1/*28' },
  SLCO1B1: { 'Poor Function': '*5/*5', 'Decreased Function': '*1/*5' },
  ABCG2: { 'Poor Function': 'rs2231142 T/T', 'Decreased Function': 'rs2231142 G/T' },
  VKORC1: { '-1639 AA': 'rs9923231 T/T', '-1639 AG': 'rs9923231 C/T' },
  CYP4F2: { '*3 carrier': '*1/*3' },
  'HLA-B': { '*57:01 positive': '*57:01/*08:01', '*58:01 positive': '*58:01/*08:01', '*15:02 positive': '*15:02/*08:01' },
  'HLA-A': { '*31:01 positive': '*31:01/*02:01' },
};

function genotypeFor(row: GuidanceRow): string {
  const key = (row.diplotypes ?? row.lookupKeys ?? row.phenotypes)![0]!;
  const dip = row.diplotypes ? key : GENOTYPE[row.gene]?.[key];
  if (!dip) throw new Error(`test needs a ${row.gene} genotype for ${key} (row ${row.id})`);
  return `${row.gene} ${dip}`;
}

// no coverage on file, so the card's indicator is the pharmacogenomic one alone
const order = (drug: string, genotypes: ExampleSpec['genotypes']): ExampleSpec =>
  spec('pbh-dan', { orders: [{ rxcui: rxcui.get(drug)!, display: drug }], genotypes, activeMedications: [], plan: null });

const drugs = [...new Set(extracted.rows.map((r) => r.drug))].sort();
/** each drug's first row that asks for a change (warning or critical), by the compiled indicator */
const actionable = drugs
  .map((drug) => extracted.rows.find((r) => r.drug === drug && compiled.get(r.id)!.indicator !== 'info'))
  .filter((r): r is GuidanceRow => !!r);
const quiet = drugs.filter((d) => !actionable.some((r) => r.drug === d));

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

/** a genotype result as the sample patients record it */
const gt = (gene: string, value: string) => ({ gene, value: `${gene} ${value}`, daysAgo: 10 });

/** the order-sign card for `drug`, for a patient with these results */
async function cardFor(drug: string, genotypes: ExampleSpec['genotypes']) {
  const res = await callHook(app, order(drug, genotypes));
  const c = res.cards.find((x) => x.summary.toLowerCase().startsWith(drug));
  if (!c) throw new Error(`no card for ${drug}`);
  return c;
}

/** the card's DPWG entry: from its heading to the end */
function dpwgPart(detail: string): string {
  const from = detail.indexOf('**DPWG guideline**');
  expect(from).toBeGreaterThan(-1);
  return detail.slice(from);
}

describe('every extracted drug: an actionable result gets a card showing the source', () => {
  it('covers the extracted drugs', () => {
    expect(drugs.length).toBeGreaterThanOrEqual(60);
    expect(actionable.length + quiet.length).toBe(drugs.length);
  });

  it.each(actionable.map((r) => [r.drug, r.source, r.id, r] as const))('%s (%s row %s)', async (drug, _source, id, row) => {
    const res = await callHook(app, order(drug, [{ gene: row.gene, value: genotypeFor(row), daysAgo: 10 }]));
    const card = res.cards.find((c) => c.summary.toLowerCase().startsWith(drug.toLowerCase()));
    if (!card) throw new Error(`no card for ${drug}; got: ${res.cards.map((c) => c.summary).join(' | ')}`);
    const detail = card.detail ?? '';
    const source = guidance.sources[row.source]!.name;
    expect(detail).toContain(`**${source}**`);
    expect(detail).toContain(`rule \`${id}\``);
    expect(card.links?.some((l) => l.url === row.annotation.url)).toBe(true);
    if (cpicDrugs.has(drug) && detail.includes('**Recommendation**')) {
      expect(detail.indexOf('**Recommendation**')).toBeLessThan(detail.indexOf('**Other sources** (after CPIC):'));
    } else if (!cpicDrugs.has(drug)) {
      expect(detail).toContain('**Guidance** (no CPIC recommendation for this drug):');
      expect(card.indicator).toBe(compiled.get(id)!.indicator);
    }
  });
});

describe('rows that ask for no change raise no warning', () => {
  // (for a drug CPIC has rows for, CPIC's row sets the indicator; these rows only follow it)
  it.each(quiet.filter((d) => !cpicDrugs.has(d)).map((d) => [d] as const))('%s: its only rows are standard use or a bare association', async (drug) => {
    const row = extracted.rows.find((r) => r.drug === drug)!;
    const res = await callHook(app, order(drug, [{ gene: row.gene, value: genotypeFor(row), daysAgo: 10 }]));
    const card = res.cards.find((c) => c.summary.toLowerCase().startsWith(drug.toLowerCase()));
    expect(card?.indicator ?? 'info').toBe('info');
  });

  it('haloperidol, CYP2D6 intermediate metabolizer: DPWG "no action" — no warning card', async () => {
    const res = await callHook(app, order('haloperidol', [{ gene: 'CYP2D6', value: 'CYP2D6 *1/*4', daysAgo: 10 }]));
    const card = res.cards.find((c) => /^haloperidol/i.test(c.summary));
    expect(card?.indicator ?? 'info').toBe('info');
  });

  it('carvedilol, CYP2D6 poor metabolizer: the FDA table states an association and asks nothing — no warning card', async () => {
    const res = await callHook(app, order('carvedilol', [{ gene: 'CYP2D6', value: 'CYP2D6 *4/*4', daysAgo: 10 }]));
    const card = res.cards.find((c) => /^carvedilol/i.test(c.summary));
    expect(card?.indicator ?? 'info').toBe('info');
  });
});

describe('spot checks of exact advice', () => {
  const card = async (drug: string, gene: string, value: string) => {
    const res = await callHook(app, order(drug, [{ gene, value: `${gene} ${value}`, daysAgo: 10 }]));
    const c = res.cards.find((x) => x.summary.toLowerCase().startsWith(drug));
    if (!c) throw new Error(`no card for ${drug}`);
    return c;
  };

  it('haloperidol, CYP2D6 *4/*4: DPWG 60% of the normal dose, with the annotation version (no CPIC rows)', async () => {
    const c = await card('haloperidol', 'CYP2D6', '*4/*4');
    expect(c.summary).toMatch(/^Haloperidol: CYP2D6 Poor Metabolizer — adjust dose \(DPWG guideline\)/);
    expect(c.indicator).toBe('warning');
    expect(c.detail).toContain('Use 60% of the normal dose.');
    expect(c.detail).toMatch(/DPWG Guideline for haloperidol and CYP2D6, PharmGKB annotation PA\d+ version \d+ \(PharmCAT data 2024-03-25/);
  });

  it('aripiprazole, CYP2D6 *4/*4: the FDA table and DPWG both, each with its own source', async () => {
    const c = await card('aripiprazole', 'CYP2D6', '*4/*4');
    expect(c.detail).toContain('**FDA Table of Pharmacogenetic Associations** (CYP2D6 Poor Metabolizer): poor metabolizers: Results in higher systemic concentrations');
    expect(c.detail).toContain('FDA table as collected 2021-03-22');
    expect(c.detail).toContain('Administer no more than 10 mg/day, 300 mg/month or 720 mg/2 month');
    expect(c.detail!.indexOf('FDA Table of Pharmacogenetic Associations')).toBeLessThan(c.detail!.indexOf('**DPWG guideline**'));
  });

  it('codeine, CYP2D6 ultrarapid (*1/*1x2): CPIC first, then the FDA table and DPWG', async () => {
    const c = await card('codeine', 'CYP2D6', '*1/*1x2');
    expect(c.indicator).toBe('critical');
    const d = c.detail!;
    const cpic = d.indexOf('**Recommendation**');
    const other = d.indexOf('**Other sources** (after CPIC):');
    expect(cpic).toBeGreaterThan(-1);
    expect(other).toBeGreaterThan(cpic);
    expect(d.indexOf('Codeine is contraindicated in children under 12 years of age.')).toBeGreaterThan(other);
    expect(d.indexOf('Codeine is contra-indicated.')).toBeGreaterThan(other);
  });

  it('irinotecan, UGT1A1 *28/*28: DPWG\'s genotype row alone, not also its phenotype row', async () => {
    const c = await card('irinotecan', 'UGT1A1', '*28/*28');
    const d = c.detail!;
    expect(d.match(/Start with 70% of the normal dose/g)).toHaveLength(1);
    expect(d).toContain('(UGT1A1 \\*28/\\*28)');
  });

  it('clobazam, CYP2C19 *2/*2: the FDA table\'s dosage adjustment (no CPIC rows) — warning', async () => {
    const c = await card('clobazam', 'CYP2C19', '*2/*2');
    expect(c.summary).toMatch(/CYP2C19 Poor Metabolizer — adjust dose \(FDA Table of Pharmacogenetic Associations\)/);
    expect(c.indicator).toBe('warning');
  });

  it('abacavir, HLA-B*57:01 positive: DPWG\'s contraindication after CPIC\'s', async () => {
    const c = await card('abacavir', 'HLA-B', '*57:01/*08:01');
    expect(c.indicator).toBe('critical');
    expect(c.detail).toMatch(/\*\*DPWG guideline\*\* — \*\*contraindicated\*\*/);
  });
});

describe('FDA-table entries newer than the 2021 copy (PharmGKB/ClinPGx annotation, data 2026-05-05)', () => {
  const NEWER = /FDA table as annotated by PharmGKB\/ClinPGx: association PA\d+ version \d+ \(ClinPGx data 2026-05-05-00-25, via PharmCAT\)/;
  const hook = cardFor;

  it('every pair PharmCAT lists is carried but belzutifan, which has no RxNorm ingredient code', () => {
    expect(extracted.notCarried.filter((n) => /^not in the/.test(n.reason))).toEqual([]);
    expect(extracted.notCarried.find((n) => n.drug === 'belzutifan')?.reason).toMatch(/no RxNorm ingredient code/);
    const newer = extracted.rows.filter((r) => r.source === 'fda-table' && r.version && NEWER.test(r.version));
    expect(newer.map((r) => `${r.drug}/${r.gene}`).sort()).toEqual([
      'abrocitinib/CYP2C19', 'fosphenytoin/CYP2C9', 'fosphenytoin/HLA-B', 'ibuprofen/CYP2C9', 'lansoprazole/CYP2C19', 'mavacamten/CYP2C19',
      'nateglinide/CYP2C9', 'oliceridine/CYP2D6', 'phenytoin/CYP2C9', 'phenytoin/HLA-B', 'viloxazine/CYP2D6',
    ]);
  });

  it('mavacamten, CYP2C19 *2/*2 (no CPIC rows): DPWG\'s lower starting dose drives a warning; the FDA table\'s "no genotype adjustment" is shown beside it, each with its version', async () => {
    const c = await hook('mavacamten', [gt('CYP2C19', '*2/*2')]);
    expect(c.summary).toMatch(/^Mavacamten: CYP2C19 Poor Metabolizer — adjust dose \(DPWG guideline\)/);
    expect(c.indicator).toBe('warning');
    expect(c.detail).toContain('**Guidance** (no CPIC recommendation for this drug):');
    expect(c.detail).toContain('start with 2.5 mg/day and give a maximum of 5 mg/day');
    expect(c.detail).toContain('https://www.clinpgx.org/guidelineAnnotation/PA166418081');
    expect(c.detail).toContain('adjustments based on CYP2C19 genotype are not necessary');
    expect(c.detail).toMatch(NEWER);
    expect(c.detail).toContain('association PA166329612 version 2');
    expect(c.links?.map((l) => l.url)).toContain('https://www.clinpgx.org/fdaPgxAssociations#PA166329612');
  });

  it('mavacamten, CYP2C19 *1/*2 (intermediate): DPWG says no action and the FDA table no genotype adjustment — no warning', async () => {
    const c = await hook('mavacamten', [gt('CYP2C19', '*1/*2')]);
    expect(c.indicator).toBe('info');
    expect(c.detail).toContain('NO action is required for this gene-drug interaction.');
  });

  it('oliceridine, CYP2D6 *4/*4: "may require less frequent dosing" — adjust dose, warning, with its version', async () => {
    const c = await hook('oliceridine', [gt('CYP2D6', '*4/*4')]);
    expect(c.summary).toMatch(/^Oliceridine: CYP2D6 Poor Metabolizer — adjust dose \(FDA Table of Pharmacogenetic Associations\)/);
    expect(c.indicator).toBe('warning');
    expect(c.detail).toContain('May require less frequent dosing.');
    expect(c.detail).toContain('association PA166329581 version 1 (ClinPGx data 2026-05-05-00-25');
  });

  it('phenytoin, CYP2C9 *3/*3 with HLA-B*15:02 negative: CPIC first, then the newer FDA-table row and DPWG', async () => {
    const c = await hook('phenytoin', [gt('CYP2C9', '*3/*3'), gt('HLA-B', '*08:01/*07:02')]);
    const d = c.detail!;
    const cpic = d.indexOf('**Recommendation**');
    const other = d.indexOf('**Other sources** (after CPIC):');
    expect(cpic).toBeGreaterThan(-1);
    expect(other).toBeGreaterThan(cpic);
    expect(d.indexOf('**FDA Table of Pharmacogenetic Associations** (CYP2C9 Poor Metabolizer)')).toBeGreaterThan(other);
    expect(d).toContain('association PA166329583 version 1 (ClinPGx data 2026-05-05-00-25');
    expect(d.indexOf('**DPWG guideline**')).toBeGreaterThan(other);
  });

  it('fos/phenytoin, CYP2C9 *1/*2 (an intermediate metabolizer without *3): the FDA table\'s advice for *3 carriers is a caution, never "consider an alternative"', async () => {
    for (const drug of ['phenytoin', 'fosphenytoin']) {
      const c = await hook(drug, [gt('CYP2C9', '*1/*2'), gt('HLA-B', '*08:01/*07:02')]);
      const d = c.detail!;
      const row = d.slice(d.indexOf('**FDA Table of Pharmacogenetic Associations** (CYP2C9 Intermediate Metabolizer)'));
      expect(row).toContain(`Consider avoiding ${drug} as an alternative to carbamazepine in patients who are CYP2C9\\*3 carriers`);
      // the row's own kind: a caution (phenytoin) or a dose change (fosphenytoin), not an alternative
      expect(compiled.get(`fda-table-${drug}-cyp2c9-recommendation`)?.action).toBe(drug === 'phenytoin' ? 'monitor' : 'adjust-dose');
      expect(c.suggestions ?? []).toEqual([]);
    }
  });

  it('phenytoin, HLA-B*15:02 positive: CPIC\'s advice first, the FDA table\'s after it', async () => {
    const c = await hook('phenytoin', [gt('CYP2C9', '*1/*1'), gt('HLA-B', '*15:02/*08:01')]);
    const d = c.detail!;
    expect(d.indexOf('**Recommendation**')).toBeGreaterThan(-1);
    expect(d.indexOf('Consider avoiding phenytoin as an alternative to carbamazepine in patients who are positive for HLA-B\\*15:02')).toBeGreaterThan(d.indexOf('**Other sources** (after CPIC):'));
    expect(d).toContain('association PA166329584 version 1');
  });

  it('lansoprazole, CYP2C19 *2/*2: CPIC\'s dose advice first, the FDA table\'s pharmacokinetic association after it', async () => {
    const c = await hook('lansoprazole', [gt('CYP2C19', '*2/*2')]);
    const d = c.detail!;
    const other = d.indexOf('**Other sources** (after CPIC):');
    expect(d.indexOf('**Recommendation**')).toBeGreaterThan(-1);
    expect(other).toBeGreaterThan(d.indexOf('**Recommendation**'));
    expect(d.indexOf('**FDA Table of Pharmacogenetic Associations** (CYP2C19 Poor Metabolizer): CYP2C19 poor metabolizers: Results in higher systemic concentrations.')).toBeGreaterThan(other);
    expect(d).toContain('association PA166329650 version 2 (ClinPGx data 2026-05-05-00-25');
    expect(c.summary).toMatch(/\(CPIC moderate\)/);
  });
});

describe('DPWG guidelines whose advice changed: the 2026 annotation, not the 2024 one (ClinPGx data 2026-05-05)', () => {
  const NEWER = /PharmGKB annotation PA\d+ version \d+ \(ClinPGx data 2026-05-05-00-25, via PharmCAT\)/;
  const newer = read<{ guidelines: { guideline: { id: string; version: number }; recommendations: { id: string; text: { html: string } }[] }[] }>('sources/dpwg-pharmcat-2026.json');
  const newerIds = new Set(newer.guidelines.map((g) => g.guideline.id));
  const dpwgRows = extracted.rows.filter((r) => r.source === 'dpwg');
  const hook = (drug: string, genotypes: [string, string][]) => cardFor(drug, genotypes.map(([gene, value]) => gt(gene, value)));

  it('every row of those guidelines carries the 2026 version and recommendation; every other DPWG row the 2024 copy', () => {
    const byRec = new Map(newer.guidelines.flatMap((g) => g.recommendations.map((r) => [r.id, { g, r }] as const)));
    const replaced = dpwgRows.filter((r) => newerIds.has(r.annotation.id));
    expect(new Set(replaced.map((r) => r.annotation.id))).toEqual(newerIds);
    for (const row of replaced) {
      const { g, r } = byRec.get(row.pgkbId!)!;
      expect(row.version).toMatch(NEWER);
      expect(row.version).toContain(`${g.guideline.id} version ${g.guideline.version} `);
      // the source's words in order; the card's text only adds "; " where a list item ends without punctuation
      const words = (t: string) => t.replace(/;/g, ' ').replace(/\s+/g, ' ').trim();
      expect(words(r.text.html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>'))).toBe(words(row.text));
    }
    for (const row of dpwgRows.filter((r) => !newerIds.has(r.annotation.id))) expect(row.version).toMatch(/\(PharmCAT data 2024-03-25-16-13\)$/);
  });

  it('thioguanine, NUDT15 *1/*3: DPWG now starts at 50% of the normal dose (was 75%), with the 2026 version', async () => {
    const c = await hook('thioguanine', [['NUDT15', '*1/*3'], ['TPMT', '*1/*1']]);
    const d = dpwgPart(c.detail!);
    expect(d).toContain('IMMUNOSUPPRESSION: start with 50% of the normal dose');
    expect(d).not.toContain('75%');
    expect(d).toContain('DPWG Guideline for thioguanine and NUDT15, PharmGKB annotation PA166184612 version 13 (ClinPGx data 2026-05-05-00-25, via PharmCAT)');
  });

  it('thioguanine, NUDT15 *3/*3: DPWG says avoid tioguanine first (a list without full stops) — still "avoid"', async () => {
    expect(compiled.get('dpwg-thioguanine-nudt15-pa166299150')?.action).toBe('avoid');
    const c = await hook('thioguanine', [['NUDT15', '*3/*3'], ['TPMT', '*1/*1']]);
    expect(dpwgPart(c.detail!)).toContain('avoid tioguanine; if it is not possible to avoid tioguanine: use 10% of the standard dose');
  });

  it('amitriptyline, CYP2D6 *4/*4: DPWG 60% of the standard dose (was 70%); *1/*1x2: 1.6 times (was 1.4)', async () => {
    const pm = dpwgPart((await hook('amitriptyline', [['CYP2D6', '*4/*4'], ['CYP2C19', '*1/*1']])).detail!);
    expect(pm).toContain('Use 60% of the standard dose and monitor the effect and side effects or the plasma concentrations of amitriptyline and nortriptyline in order to set the maintenance dose');
    expect(pm).toContain('PharmGKB annotation PA166104982 version 37 (ClinPGx data 2026-05-05-00-25, via PharmCAT)');
    const um = dpwgPart((await hook('amitriptyline', [['CYP2D6', '*1/*1x2'], ['CYP2C19', '*1/*1']])).detail!);
    expect(um).toContain('increase the dose to 1.6 times the normal dose');
    expect(um).not.toContain('1.4 times');
  });

  it('phenytoin, CYP2C9 *1/*3: DPWG 70% of the standard dose (was 75%)', async () => {
    const c = await hook('phenytoin', [['CYP2C9', '*1/*3'], ['HLA-B', '*08:01/*07:02']]);
    const d = dpwgPart(c.detail!);
    expect(d).toContain('For the other doses, use 70% of the standard dose');
    expect(d).toContain('PharmGKB annotation PA166104984 version 38 (ClinPGx data 2026-05-05-00-25');
  });

  it('venlafaxine, CYP2D6 *1/*1x2: DPWG now asks for no action (was "be alert … increase the dose") — no warning', async () => {
    const row = compiled.get('dpwg-venlafaxine-cyp2d6-pa166302890')!;
    expect(row.text).toBe('NO action is required for this gene-drug interaction.');
    expect(row.action).toBe('standard');
    expect(row.indicator).toBe('info');
    const res = await callHook(app, order('venlafaxine', [{ gene: 'CYP2D6', value: 'CYP2D6 *1/*1x2', daysAgo: 10 }]));
    const c = res.cards.find((x) => /^venlafaxine/i.test(x.summary));
    expect(c?.indicator ?? 'info').toBe('info');
    expect(c?.detail ?? '').not.toContain('Be alert to a possible decrease');
  });

  it('eliglustat (no CPIC rows): CYP2D6 *1/*1x2 contraindicated; *1/*4 advice only with kidney or liver impairment — a caution, not "avoid"', async () => {
    const um = await hook('eliglustat', [['CYP2D6', '*1/*1x2']]);
    expect(um.indicator).toBe('critical');
    expect(um.detail).toContain('Eliglustat is contraindicated. Avoid eliglustat');
    expect(compiled.get('dpwg-eliglustat-cyp2d6-pa166302321')?.action).toBe('monitor');
    const im = await hook('eliglustat', [['CYP2D6', '*1/*4']]);
    expect(im.indicator).toBe('warning');
    expect(im.detail).toContain('MILD, MODERATE OR SEVERE RENAL IMPAIRMENT and/or MILD HEPATIC IMPAIRMENT: Eliglustat is not recommended. avoid eliglustat if possible. OTHER: no action required');
  });

  it('capecitabine, DPYD activity score 1: DPWG now tells one no-function variant (50% or avoid) from two reduced-function variants (measure DPD activity)', async () => {
    const c = await hook('capecitabine', [['DPYD', 'Reference/*2A']]);
    const d = dpwgPart(c.detail!);
    expect(d).toContain('If the patient has a single variant associated with no DPD activity, start with 50% of the standard dose or avoid fluorouracil and capecitabine.');
    expect(d).toContain('If the patient has more than one variant associated with reduced DPD activity');
    expect(d).toContain('PharmGKB annotation PA166104963 version 34 (ClinPGx data 2026-05-05-00-25');
  });

  it('imipramine and CYP2C19 (unchanged in 2026) stays the 2024 copy', () => {
    const row = dpwgRows.find((r) => r.drug === 'imipramine' && r.gene === 'CYP2C19' && r.phenotypes?.includes('Poor Metabolizer'))!;
    expect(row.version).toMatch(/version 32 \(PharmCAT data 2024-03-25-16-13\)$/);
  });
});

describe('DPWG guidelines new in the 2026 copy, carried by hand (guidance-fda-dpwg.yaml)', () => {
  const hook = (drug: string, gene: string, value: string, more: [string, string][] = []) =>
    cardFor(drug, [[gene, value] as [string, string], ...more].map(([g, v]) => gt(g, v)));
  const AVOID_ATV = 'avoid atazanavir if there is a suitable alternative; if there is no suitable alternative: tell the patient that jaundice and hyperbilirubinemia are benign';

  // CPIC's rosuvastatin advice needs ABCG2 as well (rs2231142 G/G: normal function)
  const ABCG2_NORMAL: [string, string][] = [['ABCG2', 'rs2231142 G/G']];

  it('rosuvastatin, SLCO1B1 *5/*5 (poor function): CPIC first, then DPWG\'s advice by further risk factors — a caution', async () => {
    const c = await hook('rosuvastatin', 'SLCO1B1', '*5/*5', ABCG2_NORMAL);
    const d = c.detail!;
    const other = d.indexOf('**Other sources** (after CPIC):');
    expect(d.indexOf('**Recommendation**')).toBeGreaterThan(-1);
    expect(other).toBeGreaterThan(d.indexOf('**Recommendation**'));
    expect(d.indexOf('**DPWG guideline**')).toBeGreaterThan(other);
    expect(dpwgPart(d)).toContain('keep the rosuvastatin dose as low as possible (e.g. by adding ezetimibe); advise the patient to report muscle symptoms');
    expect(c.links?.map((l) => l.url)).toContain('https://www.clinpgx.org/guidelineAnnotation/PA166363221');
    expect(compiled.get('dpwg-rosuvastatin-pf')?.action).toBe('monitor');
  });

  it('rosuvastatin, SLCO1B1 *5/*5 with no ABCG2 result: CPIC\'s advice from the known result comes first, and DPWG is headed as after CPIC', async () => {
    const d = (await hook('rosuvastatin', 'SLCO1B1', '*5/*5')).detail!;
    expect(d.indexOf('**Advice from the known result**')).toBeGreaterThan(-1);
    expect(d).not.toContain('no CPIC recommendation for this drug');
    expect(d.indexOf('**Other sources** (after CPIC):')).toBeGreaterThan(d.indexOf('**Advice from the known result**'));
  });

  it('rosuvastatin, SLCO1B1 *1/*5 (decreased) and *2/*5 (possible decreased function): the same DPWG advice', async () => {
    for (const value of ['*1/*5', '*2/*5']) {
      expect(dpwgPart((await hook('rosuvastatin', 'SLCO1B1', value, ABCG2_NORMAL)).detail!)).toContain('Patient has ADDITIONAL SIGNIFICANT RISK FACTORS for statin-induced myopathy: keep the rosuvastatin dose as low as possible');
    }
  });

  it('atazanavir, UGT1A1 *28/*28: CPIC first, then DPWG\'s genotype row (avoid if there is a suitable alternative) — not also its "no action" row for other poor metabolizers', async () => {
    const c = await hook('atazanavir', 'UGT1A1', '*28/*28');
    const d = c.detail!;
    const other = d.indexOf('**Other sources** (after CPIC):');
    expect(d.indexOf('**Recommendation**')).toBeGreaterThan(-1);
    expect(other).toBeGreaterThan(d.indexOf('**Recommendation**'));
    const dpwg = dpwgPart(d);
    expect(d.indexOf('**DPWG guideline**')).toBeGreaterThan(other);
    expect(dpwg).toContain(AVOID_ATV);
    expect(dpwg).not.toContain('NO action is needed');
    expect(c.indicator).toBe('warning');
    expect(c.links?.map((l) => l.url)).toContain('https://www.clinpgx.org/guidelineAnnotation/PA166411701');
  });

  it('atazanavir, UGT1A1 *28/*80+*28: DPWG\'s own row for that genotype', async () => {
    expect(dpwgPart((await hook('atazanavir', 'UGT1A1', '*28/*80+*28')).detail!)).toContain(AVOID_ATV);
  });

  it('atazanavir, UGT1A1 *6/*28 (a poor metabolizer other than *28/*28): DPWG asks for no action; CPIC\'s advice still sets the card', async () => {
    const c = await hook('atazanavir', 'UGT1A1', '*6/*28');
    const dpwg = dpwgPart(c.detail!);
    expect(dpwg).toContain('NO action is needed for this gene-drug interaction.');
    expect(dpwg).not.toContain('avoid atazanavir');
    expect(c.detail!.indexOf('**Recommendation**')).toBeGreaterThan(-1);
  });

  it('sacituzumab govitecan (no CPIC rows), UGT1A1 *28/*28: DPWG\'s "be particularly vigilant" beside the FDA table — warning; *1/*28: no action, no warning', async () => {
    const pm = await hook('sacituzumab govitecan', 'UGT1A1', '*28/*28');
    expect(pm.indicator).toBe('warning');
    expect(pm.detail).toContain('**Guidance** (no CPIC recommendation for this drug):');
    expect(dpwgPart(pm.detail!)).toContain('Be particularly vigilant for the occurrence of side effects.');
    expect(pm.detail).toContain('**FDA Table of Pharmacogenetic Associations**');
    expect(pm.links?.map((l) => l.url)).toContain('https://www.clinpgx.org/guidelineAnnotation/PA166436801');
    const im = await hook('sacituzumab govitecan', 'UGT1A1', '*1/*28');
    expect(im.indicator).toBe('info');
    expect(im.detail).toContain('NO action is required for this gene-drug interaction.');
  });
});

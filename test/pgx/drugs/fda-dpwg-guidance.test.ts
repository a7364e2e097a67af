/**
 * FDA-label and DPWG guidance over HTTP (terminology/sources/guidance-fda-dpwg.yaml: PharmGKB's annotations as
 * redistributed by PharmCAT). Drugs are ordered by their RxNorm ingredient code (CPIC's drug table, cpic-data
 * V2__initial_data.sql). Expected texts are the label statements the rows transcribe: MAYZENT "contraindicated in
 * patients who have [a] CYP2C9*3/*3 genotype" and 1 mg maintenance for *1/*3, *2/*3; CERDELGA 84 mg once daily
 * in CYP2D6 poor metabolizers; XENAZINE max 25 mg per dose / 50 mg per day in poor metabolizers; ORAP ≤ 4 mg/day;
 * FELDENE "consider dose reduction" in CYP2C9 poor metabolizers (after CPIC's own row).
 */
import type { FastifyInstance } from 'fastify';
import type { ExampleSpec } from '../../../src/sample-patients/build-request';
import { callHook, cardFor, spec, startService } from '../../scenarios/helpers';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const order = (rxcui: string, display: string, genotypes: ExampleSpec['genotypes']): ExampleSpec =>
  spec('pbh-dan', { orders: [{ rxcui, display }], genotypes, activeMedications: [] });
const card = async (s: ExampleSpec, drug: string) => cardFor((await callHook(app, s)).cards, drug);

describe('FDA label and DPWG guidance for drugs CPIC has no rows for', () => {
  it('siponimod, CYP2C9 *3/*3: contraindicated per the FDA label (critical); DPWG avoid shown too, with sources', async () => {
    const c = await card(order('2121085', 'siponimod 2 MG Oral Tablet', [{ gene: 'CYP2C9', value: 'CYP2C9 *3/*3', daysAgo: 10 }]), 'siponimod');
    expect(c.summary).toMatch(/^Siponimod: CYP2C9 Poor Metabolizer — contraindicated \(FDA drug label\)/);
    expect(c.indicator).toBe('critical');
    expect(c.detail).toContain('**Guidance** (no CPIC recommendation for this drug):');
    expect(c.detail).toMatch(/\*\*FDA drug label\*\* — \*\*contraindicated\*\* \(CYP2C9 \\\*3\/\\\*3\)/);
    expect(c.detail).toContain('https://www.clinpgx.org/labelAnnotation/PA166182738');
    expect(c.detail).toMatch(/\*\*DPWG guideline\*\* \(CYP2C9 Poor Metabolizer\): DPWG: avoid siponimod/);
    expect(c.detail).toContain('madhavajay/PharmCAT 162d746c');
    expect(c.links?.map((l) => l.url)).toEqual([
      'https://www.clinpgx.org/labelAnnotation/PA166182738',
      'https://www.clinpgx.org/guidelineAnnotation/PA166211021',
    ]);
  });

  it('siponimod, CYP2C9 *1/*3: the label\'s 1 mg maintenance dose and DPWG\'s 50% (adjust, warning)', async () => {
    const c = await card(order('2121085', 'Mayzent', [{ gene: 'CYP2C9', value: 'CYP2C9 *1/*3', daysAgo: 10 }]), 'siponimod');
    expect(c.summary).toMatch(/CYP2C9 Intermediate Metabolizer — adjust dose \(FDA drug label\)/);
    expect(c.indicator).toBe('warning');
    expect(c.detail).toContain('maintenance dose of 1 mg once daily');
    expect(c.detail).toContain('use 50% of the normal maintenance dose');
  });

  it('siponimod with no CYP2C9 result: untested, the test is suggested', async () => {
    const c = await card(order('2121085', 'Mayzent', []), 'siponimod');
    expect(c.summary).toMatch(/no CYP2C9 result/);
    expect(c.suggestions?.some((s) => /CYP2C9 genotyping/.test(s.label))).toBe(true);
  });

  it('eliglustat, CYP2D6 *4/*4 (poor metabolizer): 84 mg once daily per the CERDELGA label', async () => {
    const c = await card(order('1547220', 'eliglustat 84 MG Oral Capsule', [{ gene: 'CYP2D6', value: 'CYP2D6 *4/*4', daysAgo: 10 }]), 'eliglustat');
    expect(c.summary).toMatch(/CYP2D6 Poor Metabolizer — adjust dose \(FDA drug label\)/);
    expect(c.detail).toContain('84 mg once daily');
  });

  it('tetrabenazine and pimozide, CYP2D6 poor metabolizer: the labels\' dose caps', async () => {
    const pm = [{ gene: 'CYP2D6', value: 'CYP2D6 *4/*4', daysAgo: 10 }];
    expect((await card(order('10390', 'Xenazine 25 MG', pm), 'tetrabenazine')).detail).toContain('maximum single dose is 25 mg and the daily dose should not exceed 50 mg');
    expect((await card(order('8331', 'Orap 2 MG', pm), 'pimozide')).detail).toContain('do not exceed 4 mg/day');
  });
});

describe('further FDA-label rows (thioridazine, pitolisant, metoclopramide, flibanserin)', () => {
  it('thioridazine, CYP2D6 intermediate metabolizer (*1/*4): contraindicated per the label — critical', async () => {
    const c = await card(order('10502', 'thioridazine 25 MG', [{ gene: 'CYP2D6', value: 'CYP2D6 *1/*4', daysAgo: 10 }]), 'thioridazine');
    expect(c.summary).toMatch(/CYP2D6 Intermediate Metabolizer — contraindicated \(FDA drug label\)/);
    expect(c.indicator).toBe('critical');
  });

  it('pitolisant and metoclopramide, CYP2D6 poor metabolizer: the labels\' doses', async () => {
    const pm = [{ gene: 'CYP2D6', value: 'CYP2D6 *4/*4', daysAgo: 10 }];
    expect((await card(order('2197878', 'Wakix', pm), 'pitolisant')).detail).toContain('start at 8.9 mg once daily, maximum 17.8 mg');
    expect((await card(order('6915', 'Reglan 10 MG', pm), 'metoclopramide')).detail).toContain('max 30 mg/day');
  });

  it('flibanserin, CYP2C19 *2/*2: increased monitoring (warning, not critical)', async () => {
    const c = await card(order('1665509', 'Addyi', [{ gene: 'CYP2C19', value: 'CYP2C19 *2/*2', daysAgo: 10 }]), 'flibanserin');
    expect(c.summary).toMatch(/CYP2C19 Poor Metabolizer — monitor \(FDA drug label\)/);
    expect(c.indicator).toBe('warning');
  });
});

describe('when CPIC and another source both speak, CPIC comes first and the other follows', () => {
  it('piroxicam, CYP2C9 *3/*3: CPIC\'s recommendation, then the FELDENE label ("consider dose reduction"), marked as differing', async () => {
    const c = await card(order('8356', 'piroxicam 20 MG Oral Capsule', [{ gene: 'CYP2C9', value: 'CYP2C9 *3/*3', daysAgo: 10 }]), 'piroxicam');
    const detail = c.detail!;
    expect(c.summary).toMatch(/\(CPIC /);
    const cpicAt = detail.indexOf('**Recommendation**');
    const otherAt = detail.indexOf('**Other sources** (after CPIC):');
    expect(cpicAt).toBeGreaterThan(-1);
    expect(otherAt).toBeGreaterThan(cpicAt);
    expect(detail).toContain('consider a dose reduction');
    expect(detail).toContain('Differs from CPIC');
  });
});

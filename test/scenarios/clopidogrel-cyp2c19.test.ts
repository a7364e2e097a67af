import type { FastifyInstance } from 'fastify';
import { callHook, cardFor, startService, withGenotypes } from './helpers';

/** One real decision path, over HTTP: clopidogrel × CYP2C19 across every phenotype. */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const frank = (value?: string) =>
  withGenotypes('pbh-frank', value ? [{ gene: 'CYP2C19', value, daysAgo: 10 }] : []);

describe('clopidogrel × CYP2C19 (CPIC 2022)', () => {
  it.each([
    ['*2/*2', 'Poor Metabolizer', 'critical', /use an alternative/],
    ['*1/*2', 'Intermediate Metabolizer', 'critical', /use an alternative/],
    ['*1/*1', 'Normal Metabolizer', 'info', /standard use/],
    ['*1/*17', 'Rapid Metabolizer', 'info', /standard use/],
    ['*17/*17', 'Ultrarapid Metabolizer', 'info', /standard use/],
  ])('%s → %s', async (diplotype, phenotype, indicator, action) => {
    const { cards } = await callHook(app, frank(`CYP2C19 ${diplotype}`));
    const card = cardFor(cards, 'clopidogrel');
    expect(card.indicator).toBe(indicator);
    expect(card.summary).toContain(`CYP2C19 ${phenotype}`);
    expect(card.summary).toMatch(action);
    expect(card.summary.length).toBeLessThan(140);
    // the rationale names the diplotype, allele functions, phenotype, recommendation strength and guideline
    expect(card.detail).toContain(`\`${diplotype}\``);
    expect(card.detail).toMatch(/function/i);
    expect(card.detail).toContain(phenotype);
    expect(card.detail).toMatch(/\*\*Recommendation\*\* \((Strong|Moderate|Optional)\)/);
    expect(card.links?.[0].url).toBe('https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/');
    expect(card.source.label).toMatch(/CPIC/);
  });

  it('poor metabolizer: no function alleles are named and ticagrelor/prasugrel are offered', async () => {
    const { cards } = await callHook(app, frank('CYP2C19 *2/*2'));
    const card = cardFor(cards, 'clopidogrel');
    expect(card.detail).toMatch(/\\\*2: No function/);
    expect(card.detail).toMatch(/ticagrelor/);
    expect(card.detail).toMatch(/prasugrel/);
  });

  it('an unknown allele is indeterminate with the reason — never normal', async () => {
    const { cards } = await callHook(app, frank('CYP2C19 *1/*999'));
    const card = cardFor(cards, 'clopidogrel');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/indeterminate/i);
    expect(card.detail).toMatch(/Indeterminate/);
    expect(card.detail).not.toMatch(/standard use/i);
    expect(card.detail).not.toMatch(/Normal Metabolizer/);
  });

  it('no CYP2C19 result: says it is missing and proposes the test', async () => {
    const { cards } = await callHook(app, frank());
    const card = cardFor(cards, 'clopidogrel');
    expect(card.summary).toMatch(/no CYP2C19 result/);
    expect(card.detail).toMatch(/Do not assume normal/);
    const test = card.suggestions?.find((s) => /genotyping/.test(s.label));
    expect(test?.actions?.[0].resource).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft' });
  });
});

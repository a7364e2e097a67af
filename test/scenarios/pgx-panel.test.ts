import type { FastifyInstance } from 'fastify';
import { callHook, cardFor, spec, startService } from './helpers';

/** Over HTTP: a realistic multi-gene panel with ten active medications, six orders at once. */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

describe('order-sign for Dan (12-gene panel, 10 active meds, 6 draft orders)', () => {
  let cards: Awaited<ReturnType<typeof callHook>>['cards'];
  beforeAll(async () => {
    ({ cards } = await callHook(app, spec('pbh-dan')));
  });

  it('one card per PGx-relevant order, most urgent first', () => {
    expect(cards.map((c) => c.summary.split(':')[0]).sort()).toEqual(
      ['Azathioprine', 'Citalopram', 'Clopidogrel', 'Codeine', 'Simvastatin', 'Warfarin'],
    );
    const rank = { critical: 0, warning: 1, info: 2 };
    const order = cards.map((c) => rank[c.indicator]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('codeine: CYP2D6 *1/*4 is an intermediate metabolizer by activity score 1.0', () => {
    const c = cardFor(cards, 'codeine');
    expect(c.summary).toContain('CYP2D6 Intermediate Metabolizer');
    expect(c.detail).toMatch(/\\\*1 \(1\.0\) \+ \\\*4 \(0\.0\) = 1\.0/);
  });

  it('clopidogrel: CYP2C19 intermediate → alternative P2Y12 inhibitor', () => {
    const c = cardFor(cards, 'clopidogrel');
    expect(c.indicator).toBe('critical');
    expect(c.suggestions?.some((s) => /prasugrel|ticagrelor/.test(s.label))).toBe(true);
  });

  it('simvastatin: SLCO1B1 poor function → avoid, a covered statin suggested', () => {
    const c = cardFor(cards, 'simvastatin');
    expect(c.summary).toMatch(/SLCO1B1 Poor Function — avoid/);
    expect(c.suggestions?.[0].isRecommended).toBe(true);
    expect(c.suggestions?.[0].label).not.toMatch(/simvastatin/i);
  });

  it('warfarin: CYP2C9 and VKORC1 both drive the dose', () => {
    const c = cardFor(cards, 'warfarin');
    expect(c.summary).toMatch(/CYP2C9 Intermediate Metabolizer, VKORC1 -1639 AG — adjust dose/);
    expect(c.detail).toContain('VKORC1');
  });

  it('azathioprine: the TPMT intermediate result (not the normal NUDT15) is named', () => {
    const c = cardFor(cards, 'azathioprine');
    expect(c.summary).toMatch(/TPMT Intermediate Metabolizer — adjust dose/);
    expect(c.detail).toMatch(/Dosing:/);
  });

  it('citalopram: CYP2C19 intermediate metabolizer is assessed', () => {
    expect(cardFor(cards, 'citalopram').summary).toContain('CYP2C19 Intermediate Metabolizer');
  });

  it('every card carries a knowledge version and cites CPIC', () => {
    for (const c of cards) {
      expect(c.detail).toMatch(/Knowledge: /);
      expect(c.detail).toMatch(/cpicpgx\.org/);
    }
  });
});

describe('phenoconversion (Carla: CYP2D6 *1/*1 on paroxetine)', () => {
  it('codeine card shows the genotype phenotype, the effective one, and why', async () => {
    const { cards } = await callHook(app, spec('pbh-carla'));
    const c = cardFor(cards, 'codeine');
    expect(c.summary).toMatch(/CYP2D6 Normal Metabolizer, acts as Poor Metabolizer \(paroxetine\)/);
    expect(c.detail).toMatch(/\*\*Phenoconversion\*\*/);
    expect(c.detail).toMatch(/strong CYP2D6 inhibitor/);
  });

  it('without paroxetine the same genotype gets standard codeine advice', async () => {
    const { cards } = await callHook(app, spec('pbh-carla', { activeMedications: [] }));
    expect(cardFor(cards, 'codeine').summary).toMatch(/CYP2D6 Normal Metabolizer — standard use/);
  });
});

describe('reclassification', () => {
  it('a lab-reported phenotype from older CYP2D6 cut-offs is recomputed and the difference said', async () => {
    const carla = spec('pbh-carla', { activeMedications: [], genotypes: [{ gene: 'CYP2D6', value: 'CYP2D6 *1/*41', daysAgo: 30 }] });
    const { cards } = await callHook(app, carla);
    const c = cardFor(cards, 'codeine');
    // *1 (1.0) + *41 (0.25) = 1.25 → Normal Metabolizer under the current CPIC cut-offs
    expect(c.detail).toMatch(/= 1\.25/);
    expect(c.summary).toMatch(/CYP2D6 Normal Metabolizer/);
  });
});

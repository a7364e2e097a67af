import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { MedicationRequest } from 'fhir/r4';
import { projectPath } from '../../src/paths';
import { callHook, cardFor, spec, startService } from './helpers';

/** The benefit scenario matrix over HTTP, with the sample plans. */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

const COVERAGE_INFO = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';

describe('benefit scenarios', () => {
  it('covered, no PA, normal result: no noise (at most an info card, no suggestions)', async () => {
    const { cards } = await callHook(app, spec('pbh-ivy'));
    expect(cards.length).toBeLessThanOrEqual(1);
    for (const c of cards) {
      expect(c.indicator).toBe('info');
      expect(c.suggestions ?? []).toHaveLength(0);
    }
  });

  it('non-formulary drug: a genomically safe on-formulary alternative replaces the order', async () => {
    const { cards } = await callHook(app, spec('pbh-hank'));
    const c = cardFor(cards, 'pitavastatin');
    expect(c.indicator).toBe('warning');
    expect(c.summary).toMatch(/not on formulary/);
    const best = c.suggestions![0];
    expect(best.isRecommended).toBe(true);
    expect(best.actions?.map((a) => a.type)).toEqual(['create', 'delete']);
    // the alternative is created first (clients that apply only the first action still get it), then the draft goes
    expect(best.actions?.[1].resourceId).toBe('MedicationRequest/pbh-hank-draft-1');
    const created = best.actions?.[0].resource as MedicationRequest;
    expect(created.medicationCodeableConcept?.text).not.toMatch(/pitavastatin/i);
    // the prescriber sets the new drug's dose: nothing is carried over
    expect(created.dosageInstruction).toBeUndefined();
  });

  it('codeine for a CYP2D6 poor metabolizer on a codeine-first plan: exemption + alternative', async () => {
    const { cards } = await callHook(app, spec('pbh-ben'));
    const codeine = cardFor(cards, 'codeine');
    expect(codeine.suggestions?.length).toBeGreaterThan(0);
    expect(codeine.suggestions!.every((s) => !/tramadol|codeine/i.test(s.label))).toBe(true);
    const oxy = cardFor(cards, 'oxycodone');
    expect(oxy.summary).toMatch(/step therapy exempt/);
    expect(oxy.detail).toMatch(/EXEMPT/);
    expect(oxy.detail).toMatch(/CYP2D6 Poor Metabolizer/);
  });

  it('clopidogrel for a CYP2C19 poor metabolizer: PA preview auto-approvable on genomic criteria', async () => {
    const { cards, systemActions } = await callHook(app, spec('pbh-ava'));
    const c = cardFor(cards, 'clopidogrel');
    expect(c.detail).toMatch(/auto-approvable/);
    expect(c.detail).toMatch(/Genetic information was used only to judge the clinical appropriateness/);
    expect(systemActions).toHaveLength(1);
    const updated = systemActions[0].resource as MedicationRequest;
    expect(systemActions[0].type).toBe('update');
    expect(updated.id).toBe('pbh-ava-draft-1');
    expect(updated.extension?.some((e) => e.url === COVERAGE_INFO)).toBe(true);
  });

  it('step therapy already satisfied by dispense history', async () => {
    const { cards } = await callHook(app, spec('pbh-gina'));
    const c = cardFor(cards, 'oxycodone');
    expect(c.summary).toMatch(/step therapy satisfied/);
    expect(c.detail).toMatch(/satisfied/);
  });

  it('unknown plan: benefit could not be checked, PGx advice still shows', async () => {
    const { cards } = await callHook(app, spec('pbh-frank'));
    const c = cardFor(cards, 'clopidogrel');
    expect(c.indicator).toBe('critical');
    expect(c.summary).toMatch(/coverage not checked/);
    expect(c.detail).toMatch(/Benefit could not be checked/);
  });

  it('order-select gives early advice on the selected order only, without systemActions', async () => {
    const { cards, systemActions } = await callHook(app, spec('pbh-ben'), 'order-select', [1]);
    expect(systemActions).toHaveLength(0);
    expect(cards.map((c) => c.summary.split(':')[0])).toEqual(['Oxycodone']);
  });
});

describe('README example', () => {
  it('examples/requests/ava-order-sign.json returns the critical clopidogrel card', async () => {
    const body = JSON.parse(readFileSync(projectPath('examples/requests/ava-order-sign.json'), 'utf8'));
    const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
    expect(res.statusCode).toBe(200);
    const card = cardFor(res.json().cards, 'clopidogrel');
    expect(card.indicator).toBe('critical');
    expect(card.summary).toMatch(/CYP2C19 Poor Metabolizer/);
  });
});

import fhirpath from 'fhirpath';
import { join } from 'node:path';
import { loadPlanCatalogue } from '../../src/loaders/plans';
import { assessBenefit } from '../../src/benefit';
import { buildPlanCatalogue, PlanLoadError } from '../../src/benefit/plan-catalogue';
import { ACS, gene, input, sampleCatalogue } from './helpers';

describe('FHIRPath criteria are compiled once, at load', () => {
  it('no compile/evaluate call per request', () => {
    sampleCatalogue(); // load (compiles every criterion)
    const compile = jest.spyOn(fhirpath, 'compile');
    const evaluate = jest.spyOn(fhirpath, 'evaluate');
    const pm = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: [gene('CYP2C19', 'Poor Metabolizer')] } };
    for (let i = 0; i < 5; i++) {
      const a = assessBenefit(input('clopidogrel', pm, { record: { conditions: [ACS] } }));
      expect(a.alternatives[0]!.priorAuth!.pathway).toBe('auto-approvable');
    }
    expect(compile).not.toHaveBeenCalled();
    expect(evaluate).not.toHaveBeenCalled();
    // the spy does see compilation: loading a catalogue compiles its criteria
    loadPlanCatalogue(join(__dirname, 'fixtures', 'minimal-valid'));
    expect(compile).toHaveBeenCalledTimes(1);
    compile.mockRestore();
    evaluate.mockRestore();
  });
});

describe('policy shape is validated against profiles/benefit-policy.schema.json', () => {
  it('reports schema violations with their path', () => {
    const bad = { version: '1', classes: { x: { ingredients: ['not-a-rxcui'] } }, plans: [{ planId: 'P', lineOfBusiness: 'hmo', state: 'CO', costShare: {} }] };
    try {
      buildPlanCatalogue([], { file: 'policy.yaml', content: bad });
      throw new Error('expected PlanLoadError');
    } catch (err) {
      expect(err).toBeInstanceOf(PlanLoadError);
      const problems = (err as PlanLoadError).problems.join('\n');
      expect(problems).toMatch(/no formulary bundle/);
      expect(problems).toMatch(/policy\.yaml: \/classes\/x\/ingredients\/0 must match pattern/);
      expect(problems).toMatch(/policy\.yaml: \/plans\/0\/lineOfBusiness must be equal to one of the allowed values/);
    }
  });
});

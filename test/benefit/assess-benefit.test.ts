import { assessBenefit } from '../../src/benefit';
import { ACS, STROKE, gene, input, partD } from './helpers';

const CYP2D6_PM = { verdict: 'contraindicated' as const, genes: [gene('CYP2D6', 'Poor Metabolizer')] };
const CYP2C19_PM = [gene('CYP2C19', 'Poor Metabolizer')];

describe('covered drug without PA or step therapy', () => {
  it('says covered, tier and rule, and adds no noise', () => {
    const a = assessBenefit(input('sertraline', { sertraline: { verdict: 'appropriate' } }));
    expect(a.status).toMatchObject({ covered: true, tier: 'generic', priorAuthorization: false, stepTherapy: false });
    expect(a.status.ruleId).toBe('FormularyItem-Formulary-PBH-COMM-2026-36437');
    expect(a.alternatives).toEqual([]);
    expect(a.stepTherapy).toBeUndefined();
    expect(a.priorAuth).toBeUndefined();
    expect(a.costShare?.precisionException).toBeUndefined();
    expect(a.coverageInformation?.extension?.find((e) => e.url === 'reason')?.valueCodeableConcept?.text).toBe(
      'sertraline is covered on Sample Commercial Gold PPO 2026, tier generic (rule FormularyItem-Formulary-PBH-COMM-2026-36437).',
    );
  });
});

describe('non-formulary drug', () => {
  it('suggests on-formulary statins that are genomically safe, best fit first, never the unsuitable ones', () => {
    const slco = [gene('SLCO1B1', 'Poor Function')];
    const a = assessBenefit(
      input('pitavastatin', {
        pitavastatin: { verdict: 'adjust', genes: slco },
        simvastatin: { verdict: 'contraindicated', genes: slco },
        lovastatin: { verdict: 'contraindicated', genes: slco },
        atorvastatin: { verdict: 'adjust', genes: slco },
        rosuvastatin: { verdict: 'appropriate', genes: slco },
        pravastatin: { verdict: 'appropriate', genes: slco },
      }),
    );
    expect(a.status.covered).toBe(false);
    expect(a.status.ruleId).toBe('Formulary-PBH-COMM-2026#not-listed');
    const names = a.alternatives.map((x) => x.drug.cpicDrug);
    expect(names).toEqual(['pravastatin', 'rosuvastatin', 'atorvastatin']);
    expect(a.alternatives.map((x) => x.rank)).toEqual([1, 2, 3]);
    expect(a.alternatives.every((x) => x.status.covered)).toBe(true);
    expect(a.coverageInformation?.extension?.find((e) => e.url === 'reason')?.valueCodeableConcept?.text).toBe(
      'Not on formulary Sample Commercial Formulary 2026',
    );
  });
});

describe('codeine for a CYP2D6 poor metabolizer (codeine is the step before hydromorphone/oxycodone)', () => {
  const verdicts = { codeine: CYP2D6_PM, tramadol: CYP2D6_PM };

  it('offers covered opioids; the stepped ones carry a genomic step exemption; tramadol is never offered', () => {
    const a = assessBenefit(input('codeine', verdicts));
    expect(a.status.covered).toBe(true);
    const names = a.alternatives.map((x) => x.drug.cpicDrug);
    expect(names).not.toContain('tramadol');
    expect(names).toEqual(['morphine', 'hydromorphone', 'oxycodone', 'hydrocodone']);
    const hydromorphone = a.alternatives.find((x) => x.drug.cpicDrug === 'hydromorphone')!;
    expect(hydromorphone.stepTherapy?.status).toBe('exempt');
    expect(hydromorphone.stepTherapy?.steps[0]).toMatchObject({ drugOrClass: 'codeine', outcome: 'exempt' });
    expect(hydromorphone.stepTherapy?.steps[0]!.evidence).toMatch(/CYP2D6 Poor Metabolizer/);
    expect(hydromorphone.stepTherapy?.steps[0]!.evidence).toMatch(/row-codeine.*CPIC data test-1.0/);
    expect(hydromorphone.stepTherapy?.basis).toMatch(/state step-therapy exception laws/);
  });

  it('ordering hydromorphone directly: step exempt, coverage conditional with clinical documentation', () => {
    const a = assessBenefit(input('hydromorphone', verdicts));
    expect(a.stepTherapy).toMatchObject({ status: 'exempt', protocolId: 'ST-OPIOID-CODEINE' });
    const sub = Object.fromEntries(a.coverageInformation!.extension!.map((e) => [e.url, e]));
    expect(sub.covered!.valueCode).toBe('conditional');
    expect(sub['doc-needed']!.valueCode).toBe('clinical');
    // no PA on hydromorphone: the evidence is kept as proof of medical necessity, not sent "with PA" (crd-ci-q4)
    expect(sub['pa-needed']!.valueCode).toBe('no-auth');
    expect(sub['doc-purpose']!.valueCode).toBe('retain-doc');
    expect(sub['info-needed']!.valueCode).toBe('OTH');
    // no PGx problem with hydromorphone and an exemption is not a burden worth switching for
    expect(a.alternatives.every((x) => x.drug.cpicDrug !== 'codeine')).toBe(true);
  });

  it('for a normal metabolizer with no codeine history, the step is required', () => {
    const a = assessBenefit(input('oxycodone', { codeine: { verdict: 'appropriate' } }));
    expect(a.stepTherapy?.status).toBe('required');
    expect(a.stepTherapy?.steps[0]!.outcome).toBe('not-met');
  });
});

describe('clopidogrel for a CYP2C19 poor metabolizer, ticagrelor/prasugrel on PA', () => {
  const verdicts = { clopidogrel: { verdict: 'expected-ineffective' as const, genes: CYP2C19_PM } };

  it('suggests ticagrelor and prasugrel, auto-approvable on the genomic criterion', () => {
    const a = assessBenefit(input('clopidogrel', verdicts, { record: { conditions: [ACS] } }));
    const names = a.alternatives.map((x) => x.drug.cpicDrug);
    expect(names.sort()).toEqual(['prasugrel', 'ticagrelor']);
    for (const alt of a.alternatives) {
      expect(alt.priorAuth?.pathway).toBe('auto-approvable');
      const genomic = alt.priorAuth!.criteria.find((c) => c.id === 'cyp2c19-poor-or-intermediate')!;
      expect(genomic.result).toBe('met');
      expect(genomic.evidence).toBe('CYP2C19: Poor Metabolizer');
      expect(alt.priorAuth!.attachments.join(' ')).toMatch(/CYP2C19 genotype result/);
    }
  });

  it('ticagrelor ordered without an indication on file → needs documentation, listing what to attach', () => {
    const a = assessBenefit(input('ticagrelor', verdicts));
    expect(a.priorAuth?.pathway).toBe('needs-documentation');
    expect(a.priorAuth?.criteria.find((c) => c.id === 'indication')?.result).toBe('not-met');
    expect(a.priorAuth?.attachments).toEqual(['progress note or problem list entry documenting ACS / PCI']);
  });

  it('no CYP2C19 result → the genomic criterion is unknown, not "normal"', () => {
    const a = assessBenefit(input('ticagrelor', { clopidogrel: { verdict: 'untested' } }, { record: { conditions: [ACS] } }));
    const genomic = a.priorAuth!.criteria.find((c) => c.id === 'cyp2c19-poor-or-intermediate')!;
    expect(genomic.result).toBe('unknown');
    expect(genomic.evidence).toMatch(/no final, interpretable result/);
    expect(a.priorAuth!.pathway).toBe('needs-documentation');
  });

  it('an indeterminate CYP2C19 result is not used as evidence', () => {
    const indeterminate = { ...CYP2C19_PM[0]!, status: 'indeterminate' as const, phenotype: 'Indeterminate' };
    const a = assessBenefit(
      input('ticagrelor', { clopidogrel: { verdict: 'indeterminate', genes: [indeterminate] } }, { record: { conditions: [ACS] } }),
    );
    expect(a.priorAuth!.criteria.find((c) => c.id === 'cyp2c19-poor-or-intermediate')!.result).toBe('unknown');
  });

  it('prasugrel with a prior stroke is likely denied and is not suggested', () => {
    const direct = assessBenefit(input('prasugrel', verdicts, { record: { conditions: [ACS, STROKE] } }));
    expect(direct.priorAuth?.pathway).toBe('likely-denied');
    expect(direct.priorAuth?.reason).toMatch(/stroke/);
    const a = assessBenefit(input('clopidogrel', verdicts, { record: { conditions: [ACS, STROKE] } }));
    expect(a.alternatives.map((x) => x.drug.cpicDrug)).toEqual(['ticagrelor']);
  });

  it('timeframes follow the line of business, with their source', () => {
    const comm = assessBenefit(input('ticagrelor', verdicts, { record: { conditions: [ACS] } }));
    expect(comm.priorAuth!.timeframes[0]!.source).toMatch(/Plan terms/);
    const d = assessBenefit(input('ticagrelor', verdicts, { plan: partD(), record: { conditions: [ACS] } }));
    expect(d.priorAuth!.timeframes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: expect.stringMatching(/^72 hours/), source: '42 CFR 423.568' }),
        expect.objectContaining({ value: '24 hours', source: '42 CFR 423.572' }),
        expect.objectContaining({ value: expect.stringMatching(/drugs are excluded/) }),
      ]),
    );
  });
});

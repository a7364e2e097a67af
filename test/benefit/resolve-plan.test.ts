import { resolvePlan, unavailableCoverageInformation } from '../../src/benefit';
import { coverage, sampleCatalogue, NOW } from './helpers';

describe('resolvePlan', () => {
  it('finds the plan named by Coverage.class of type plan', () => {
    const r = resolvePlan([coverage('PBH-PARTD-2026')], sampleCatalogue());
    expect('plan' in r && r.plan.lineOfBusiness).toBe('medicare-part-d');
  });

  it('finds the plan referenced as InsurancePlan/<id>', () => {
    const c = { ...coverage('x'), class: [], extension: [{ url: 'urn:example', valueReference: { reference: 'InsurancePlan/PayerPlan-PBH-COMM-GOLD-2026' } }] };
    const r = resolvePlan([c], sampleCatalogue());
    expect('plan' in r && r.plan.id).toBe('PBH-COMM-GOLD-2026');
  });

  it('finds the plan referenced by an absolute URL ending in InsurancePlan/<id>', () => {
    const ref = 'https://payer.example.org/fhir/InsurancePlan/PayerPlan-PBH-COMM-GOLD-2026/_history/3';
    const c = { ...coverage('x'), class: [], extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.insurancePlan', valueReference: { reference: ref } }] };
    const r = resolvePlan([c], sampleCatalogue());
    expect('plan' in r && r.plan.id).toBe('PBH-COMM-GOLD-2026');
  });

  it('reads the plan class value from the R5 valueIdentifier extension usdf-InsurancePlanCoverage pre-adopts', () => {
    const c = coverage('x');
    c.class = [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: 'gold',
        extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.class.value', valueIdentifier: { value: 'PBH-PARTD-2026' } }],
      },
    ];
    const r = resolvePlan([c], sampleCatalogue());
    expect('plan' in r && r.plan.id).toBe('PBH-PARTD-2026');
  });

  it('unknown plan → BenefitUnavailable naming the plan', () => {
    const r = resolvePlan([coverage('ACME-SILVER')], sampleCatalogue());
    expect(r).toEqual({ unavailable: true, reason: expect.stringMatching(/ACME-SILVER.*not in this service's plan catalogue/) });
  });

  it('no Coverage, or only inactive Coverage → BenefitUnavailable', () => {
    expect(resolvePlan([], sampleCatalogue())).toMatchObject({ unavailable: true, reason: expect.stringMatching(/no active Coverage/) });
    expect(resolvePlan([{ ...coverage('PBH-PARTD-2026'), status: 'cancelled' }], sampleCatalogue())).toMatchObject({ unavailable: true });
  });

  it('Coverage without a plan class → BenefitUnavailable that says so', () => {
    const r = resolvePlan([{ ...coverage('x'), class: [] }], sampleCatalogue());
    expect(r).toMatchObject({ unavailable: true, reason: expect.stringMatching(/does not name a plan/) });
  });

  it('skips an unknown first Coverage for a known second one', () => {
    const r = resolvePlan([coverage('ACME'), coverage('PBH-PARTD-2026', 'cov2')], sampleCatalogue());
    expect('plan' in r && r.plan.id).toBe('PBH-PARTD-2026');
  });

  it('an unavailable benefit still yields an indeterminate CRD coverage-information', () => {
    const u = resolvePlan([coverage('ACME')], sampleCatalogue());
    if ('plan' in u) throw new Error('expected unavailable');
    const ext = unavailableCoverageInformation(u, NOW, coverage('ACME'));
    const sub = Object.fromEntries(ext!.extension!.map((e) => [e.url, e]));
    expect(sub.covered!.valueCode).toBe('indeterminate');
    expect(sub['pa-needed']!.valueCode).toBe('indeterminate');
    expect(sub.coverage!.valueReference).toEqual({ reference: 'Coverage/cov1' });
  });
});

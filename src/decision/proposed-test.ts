/** The draft laboratory order a card proposes when the result its advice needs is not on file. */
import type { ServiceRequest } from 'fhir/r4';
import { referenceTo } from '../fhir/reference';
import { SNOMED_CT } from '../fhir/systems';

export interface ProposedTest {
  /** what to test, in words ("CYP2C19 pharmacogenomic genotyping") */
  test: string;
  patientId: string;
  /** why, in words: the guidance that depends on the result */
  reason: string;
  /** the draft order the test is for, when the card links them */
  forOrder?: string;
}

export function proposedTestOrder(p: ProposedTest): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'proposal',
    category: [{ coding: [{ system: SNOMED_CT, code: '108252007', display: 'Laboratory procedure' }] }],
    code: { text: p.test },
    subject: { reference: referenceTo('Patient', p.patientId) },
    reasonCode: [{ text: p.reason }],
    ...(p.forOrder ? { supportingInfo: [{ reference: p.forOrder }] } : {}),
  };
}

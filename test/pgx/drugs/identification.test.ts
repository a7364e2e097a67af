import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { drugByIngredient, identifyDrug, identifyMedication } from '../../../src/pgx/drug-identification';
import { drugKb } from './fixtures';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe('drug identification', () => {
  it('maps an ingredient (IN) code', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '32968', display: 'clopidogrel' }] }, drugKb);
    expect(ref).toMatchObject({ recognised: true, cpicDrug: 'clopidogrel', ingredientRxcui: '32968', drugClass: 'antiplatelet', rxcui: '32968' });
  });

  it('maps vortioxetine (2023 SSRI/SNRI guideline) by CPIC\'s ingredient code and by brand name', () => {
    expect(identifyDrug({ coding: [{ system: RX, code: '1455099' }] }, drugKb)).toMatchObject({ recognised: true, cpicDrug: 'vortioxetine' });
    expect(identifyDrug({ text: 'Trintellix 10 mg tablet' }, drugKb).cpicDrug).toBe('vortioxetine');
  });

  it('maps a clinical drug (SCD) code to its ingredient', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }] }, drugKb);
    expect(ref).toMatchObject({ recognised: true, cpicDrug: 'clopidogrel', rxcui: '309362', display: 'clopidogrel 75 MG Oral Tablet' });
  });

  it('maps a branded drug (SBD) code', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '213169' }], text: 'Plavix 75 mg tablet' }, drugKb);
    expect(ref).toMatchObject({ recognised: true, cpicDrug: 'clopidogrel', rxcui: '213169', display: 'Plavix 75 mg tablet' });
  });

  it('maps a combination SCD to its PGx ingredient', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '993781' }] }, drugKb);
    expect(ref.cpicDrug).toBe('codeine');
  });

  it('recognises brand and generic names in text, case-insensitively', () => {
    expect(identifyDrug({ text: 'PLAVIX 75MG TAB' }, drugKb).cpicDrug).toBe('clopidogrel');
    expect(identifyDrug({ text: 'Simvastatin 40 mg oral tablet' }, drugKb).cpicDrug).toBe('simvastatin');
    expect(identifyDrug({ text: 'zofran ODT 4 mg' }, drugKb)).toMatchObject({ cpicDrug: 'ondansetron', drugClass: 'antiemetic-5ht3' });
  });

  it('prefers the PGx ingredient in a combination product named in text', () => {
    expect(identifyDrug({ text: 'Acetaminophen 300 MG / Codeine Phosphate 30 MG Oral Tablet' }, drugKb).cpicDrug).toBe('codeine');
  });

  it('does not match a name inside another word', () => {
    // "esomeprazole" contains "omeprazole": must resolve to esomeprazole, not omeprazole
    expect(identifyDrug({ text: 'esomeprazole 40 mg' }, drugKb).cpicDrug).toBe('esomeprazole');
  });

  it('falls back to text when the RxNorm code is unknown, keeping the code sent', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '99999999', display: 'tramadol 50 mg' }] }, drugKb);
    expect(ref).toMatchObject({ recognised: true, cpicDrug: 'tramadol', rxcui: '99999999' });
  });

  it('ignores codes from other systems', () => {
    const ref = identifyDrug({ coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: '32968' }] }, drugKb);
    expect(ref.recognised).toBe(false);
  });

  it('returns unrecognised for unknown code and text, never a guess', () => {
    const ref = identifyDrug({ coding: [{ system: RX, code: '12345678', display: 'Frobnicator 5 MG' }] }, drugKb);
    expect(ref).toEqual({ rxcui: '12345678', display: 'Frobnicator 5 MG', recognised: false });
    expect(identifyDrug(undefined, drugKb)).toEqual({ display: 'unknown medication', recognised: false });
  });

  it('returns unrecognised when text names two different PGx drugs', () => {
    expect(identifyDrug({ text: 'codeine or tramadol' }, drugKb).recognised).toBe(false);
  });

  it('identifies MedicationRequest, MedicationStatement and MedicationDispense', () => {
    const concept = { coding: [{ system: RX, code: '312961', display: 'simvastatin 20 MG Oral Tablet' }] };
    const req: MedicationRequest = { resourceType: 'MedicationRequest', status: 'draft', intent: 'order', subject: { reference: 'Patient/p' }, medicationCodeableConcept: concept };
    const st: MedicationStatement = { resourceType: 'MedicationStatement', status: 'active', subject: { reference: 'Patient/p' }, medicationCodeableConcept: concept };
    const disp: MedicationDispense = { resourceType: 'MedicationDispense', status: 'completed', medicationReference: { reference: 'Medication/m', display: 'Paxil 20 mg' } };
    expect(identifyMedication(req, drugKb).cpicDrug).toBe('simvastatin');
    expect(identifyMedication(st, drugKb).cpicDrug).toBe('simvastatin');
    expect(identifyMedication(disp, drugKb)).toMatchObject({ cpicDrug: 'paroxetine', drugClass: 'ssri' });
  });

  it('looks up a drug by ingredient RxCUI', () => {
    expect(drugByIngredient('1116632', drugKb)).toMatchObject({ cpicDrug: 'ticagrelor', drugClass: 'antiplatelet', recognised: true });
    expect(drugByIngredient('309362', drugKb)).toBeUndefined(); // a product code is not an ingredient
    expect(drugByIngredient('0', drugKb)).toBeUndefined();
  });
});

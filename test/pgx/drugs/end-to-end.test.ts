/** End to end through the public API: FHIR genomics Observations → interpretGenomics → identifyDrug → assessDrug. */
import path from 'node:path';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { assessDrug, identifyDrug, interpretGenomics, type PgxKnowledge } from '../../../src/pgx';
import { genotype, genotypeText, PATIENT } from '../genes/fhir-builders';
import { drugKb } from './fixtures';

const genes = loadGeneKnowledge(path.resolve(__dirname, '../../../terminology'));
const kb: PgxKnowledge = { genes, drugs: drugKb, version: 'e2e' };
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe('PGx end to end', () => {
  it('CYP2C19 *2/*2 genotype + clopidogrel 75 mg SCD → expected-ineffective, prasugrel/ticagrelor', () => {
    const profile = interpretGenomics([genotype('CYP2C19', 'CYP2C19 *2/*2', { id: 'g1' })], PATIENT, genes);
    const clopidogrel = identifyDrug({ coding: [{ system: RX, code: '309362' }] }, drugKb);
    const a = assessDrug(clopidogrel, profile, [], kb);
    expect(a.verdict).toBe('expected-ineffective');
    expect(a.effectivePhenotypes[0]).toMatchObject({ gene: 'CYP2C19', effectivePhenotype: 'Poor Metabolizer' });
    expect([...(a.recommendation?.alternatives ?? [])].sort()).toEqual(['prasugrel', 'ticagrelor']);
    expect(a.rationale[0]).toMatchObject({ kind: 'observation', gene: 'CYP2C19', data: { id: 'g1' } });
  });

  it('CYP2D6 *1/*1 + paroxetine among active meds → codeine behaves as in a poor metabolizer', () => {
    const profile = interpretGenomics([genotypeText('CYP2D6', 'CYP2D6*1/*1', { id: 'g2' })], PATIENT, genes);
    const codeine = identifyDrug({ text: 'Acetaminophen 300 MG / Codeine Phosphate 30 MG Oral Tablet' }, drugKb);
    const paroxetine = identifyDrug({ text: 'Paxil 20 mg' }, drugKb);
    const a = assessDrug(codeine, profile, [paroxetine], kb);
    expect(a.effectivePhenotypes[0]).toMatchObject({ genotypePhenotype: 'Normal Metabolizer', effectivePhenotype: 'Poor Metabolizer' });
    expect(a.verdict).toBe('expected-ineffective');
    expect(assessDrug(codeine, profile, [], kb).verdict).toBe('appropriate');
  });

  it('no CYP2C19 observation → clopidogrel untested', () => {
    const profile = interpretGenomics([genotypeText('CYP2D6', 'CYP2D6*1/*1')], PATIENT, genes);
    const a = assessDrug(identifyDrug({ text: 'Plavix' }, drugKb), profile, [], kb);
    expect(a.verdict).toBe('untested');
    expect(a.missingGenes).toEqual(['CYP2C19']);
  });
});

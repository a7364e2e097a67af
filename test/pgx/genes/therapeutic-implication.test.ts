import path from 'node:path';
import type { Observation } from 'fhir/r4';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { interpretGenomicsDetailed } from '../../../src/pgx/genomic-profile';
import { observationKey } from '../../../src/pgx/genomics-observations';

/** The IG's TherapeuticImplication, as its own example TxImp01 shapes it (test/corpora/genomics-reporting). */
const kb = loadGeneKnowledge(path.resolve(__dirname, '../../../terminology'));
const corpus = require('../../corpora/genomics-reporting/cg-cyp2c19-poor-metabolizer.json');
const [genotype, txImp01] = corpus.entry.map((e: { resource: Observation }) => e.resource) as Observation[];
const PATIENT = 'CGPatientExample01';

describe('therapeutic implications naming their gene only through derivedFrom', () => {
  it('read as the gene of the genotype they derive from; metabolizer status from the implication component', () => {
    const { profile, notes } = interpretGenomicsDetailed([genotype!, txImp01!], PATIENT, kb);
    expect(notes).toEqual([]);
    expect(profile.CYP2C19).toMatchObject({ status: 'determinate', phenotype: 'Poor Metabolizer', reportedPhenotype: 'Poor Metabolizer' });
    expect(profile.CYP2C19!.sources.map((s) => s.id).sort()).toEqual(['Pgx-geno-1001', 'TxImp01']);
  });

  it('an implication that disagrees with the genotype is said, not silently dropped', () => {
    const normal = structuredClone(genotype!);
    normal.valueCodeableConcept = { coding: [{ system: 'http://www.ncbi.nlm.nih.gov/clinvar', display: 'CYP2C19*1/*1' }] };
    const { profile } = interpretGenomicsDetailed([normal, txImp01!], PATIENT, kb);
    expect(profile.CYP2C19).toMatchObject({ phenotype: 'Normal Metabolizer', reclassified: true });
    // said once, from its own fields (the card renders the reclassification), not repeated in `reason`
    expect(profile.CYP2C19).toMatchObject({ reportedPhenotype: 'Poor Metabolizer' });
    expect(profile.CYP2C19!.reclassifiedWith).toBeTruthy();
  });

  it('without the result it derives from, the gene is unknown: unreadable, with the reason', () => {
    const { profile, notes } = interpretGenomicsDetailed([txImp01!], PATIENT, kb);
    expect(profile).toEqual({});
    expect(notes).toEqual([expect.objectContaining({ reason: 'gene not identified or not supported' })]);
  });

  it('observationKey: relative, absolute and versioned references', () => {
    expect(observationKey('Observation/Pgx-geno-1001')).toBe('Observation/Pgx-geno-1001');
    expect(observationKey('https://ehr.example/fhir/Observation/a1/_history/3')).toBe('Observation/a1');
    expect(observationKey('MolecularSequence/x')).toBeUndefined();
    expect(observationKey(undefined)).toBeUndefined();
  });
});

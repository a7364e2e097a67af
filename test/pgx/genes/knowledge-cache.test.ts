/** The genotype interpretation cache belongs to the loaded gene tables: no state outside the knowledge object. */
import path from 'node:path';
import { loadGeneKnowledge } from '../../../src/loaders/genes';
import { interpretGenomics } from '../../../src/pgx/genomic-profile';
import { genotype, PATIENT } from './fhir-builders';

const TERMINOLOGY = path.resolve(__dirname, '../../../terminology');

describe('interpretation cache owned by the gene knowledge', () => {
  it('a fresh knowledge object starts empty and fills only its own tables', () => {
    const a = loadGeneKnowledge(TERMINOLOGY);
    const b = loadGeneKnowledge(TERMINOLOGY);
    expect(a.genes.get('CYP2C19')!.interpretations.size).toBe(0);
    const p = interpretGenomics([genotype('CYP2C19', '*1/*2')], PATIENT, a);
    expect(p.CYP2C19?.phenotype).toBe('Intermediate Metabolizer');
    expect(a.genes.get('CYP2C19')!.interpretations.has('*1/*2')).toBe(true);
    expect(b.genes.get('CYP2C19')!.interpretations.size).toBe(0);
  });

  it('cached interpretations are frozen and give the same result again', () => {
    const kb = loadGeneKnowledge(TERMINOLOGY);
    const first = interpretGenomics([genotype('CYP2D6', '*1/*4')], PATIENT, kb);
    const cached = kb.genes.get('CYP2D6')!.interpretations.get('*1/*4')!;
    expect(Object.isFrozen(cached)).toBe(true);
    expect(interpretGenomics([genotype('CYP2D6', '*1/*4')], PATIENT, kb)).toEqual(first);
  });
});

/**
 * The benefit engine fed by the real PGx engine and the real CPIC tables (terminology/): the verdicts it
 * acts on come from CPIC rows, and the ingredient RxCUIs of the PGx drug table match the sample formulary.
 */
import { join } from 'node:path';
import type { MedicationRequest } from 'fhir/r4';
import { assessBenefit } from '../../src/benefit';
import { loadDrugKnowledge } from '../../src/loaders/drugs';
import { loadOncologyKnowledge } from '../../src/loaders/oncology';
import { assessDrug, drugByIngredient, identifyMedication } from '../../src/pgx';
import type { GeneKnowledge } from '../../src/pgx/gene-knowledge';
import type { PgxKnowledge } from '../../src/pgx/knowledge';
import type { GeneResult, GenomicProfile } from '../../src/pgx/types';
import { ACS, NOW, RX, commercial, draftOrder, record } from './helpers';

const drugs = loadDrugKnowledge(join(__dirname, '../../terminology'));
const kb: PgxKnowledge = { genes: {} as GeneKnowledge, drugs, version: 'test' };

const result = (gene: string, phenotype: string, lookupKey: string): GeneResult => ({
  gene,
  status: 'determinate',
  phenotype,
  lookupKey,
  alleles: [],
  sources: [],
});

function run(name: string, profile: GenomicProfile, conditions = [ACS]) {
  const order: MedicationRequest = draftOrder(name);
  const assessCandidate = (rx: string) => {
    const drug = drugByIngredient(rx, drugs);
    return drug && { drug, pgx: assessDrug(drug, profile, [], kb) };
  };
  const drug = identifyMedication(order, drugs);
  return assessBenefit({
    order,
    drug,
    pgx: assessDrug(drug, profile, [], kb),
    plan: commercial(),
    record: record({ draftOrders: [order], conditions }),
    now: NOW,
    assessCandidate,
    identify: (r) => identifyMedication(r, drugs),
  });
}

describe('with the real PGx engine and CPIC tables', () => {
  it('every sample formulary ingredient is known to the PGx drug table or, for targeted oncology drugs, the companion-diagnostic table', () => {
    const oncology = loadOncologyKnowledge(join(__dirname, '../../terminology'))!;
    const missing = [...commercial().entries.keys()].filter((rx) => !drugByIngredient(rx, drugs) && !oncology.byRxcui.has(rx));
    expect(missing).toEqual([]);
  });

  it('clopidogrel, CYP2C19 poor metabolizer → prasugrel/ticagrelor, auto-approvable, first-line cost-share', () => {
    const a = run('clopidogrel', { CYP2C19: result('CYP2C19', 'Poor Metabolizer', 'Poor Metabolizer') });
    expect(a.drug.ingredientRxcui).toBe(RX.clopidogrel);
    expect(a.alternatives.map((x) => x.drug.ingredientRxcui).sort()).toEqual([RX.prasugrel, RX.ticagrelor].sort());
    expect(a.alternatives.every((x) => x.priorAuth?.pathway === 'auto-approvable')).toBe(true);
    expect(a.costShare?.precisionException?.copay).toBe(10);
  });

  it('hydromorphone, CYP2D6 poor metabolizer → codeine step exempt, citing the CPIC row', () => {
    const a = run('hydromorphone', { CYP2D6: result('CYP2D6', 'Poor Metabolizer', '0.0') });
    expect(a.stepTherapy?.status).toBe('exempt');
    expect(a.stepTherapy?.steps[0]!.evidence).toMatch(/CYP2D6 Poor Metabolizer; CPIC: .*row .*CPIC data/);
  });
});

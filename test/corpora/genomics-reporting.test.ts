import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import type { Card, HookResponse } from '../../src/cdshooks/types';

/**
 * The HL7 Genomics Reporting IG's pharmacogenomics examples (test/corpora/genomics-reporting/PROVENANCE.md)
 * as an EHR would prefetch them: the card gives the phenotype the example states, or says why not.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(testConfig());
  await app.ready();
});
afterAll(() => app.close());

const load = (file: string) => JSON.parse(readFileSync(path.join(__dirname, 'genomics-reporting', file), 'utf8'));

async function sign(file: string, patientId: string, drugs: Array<[rxcui: string, name: string]>): Promise<Card[]> {
  const bundle = load(file);
  const body = {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/example',
      patientId,
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: drugs.map(([code, display]) => ({
          resource: {
            resourceType: 'MedicationRequest',
            id: `draft-${code}`,
            status: 'draft',
            intent: 'order',
            subject: { reference: `Patient/${patientId}` },
            medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display }] },
          },
        })),
      },
    },
    prefetch: {
      patient: null,
      pgx: { resourceType: 'Bundle', type: 'searchset', entry: bundle.entry.map((e: { resource: unknown }) => ({ resource: e.resource })) },
      medications: null,
      dispenses: null,
      coverage: null,
      conditions: null,
    },
  };
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  const { cards } = res.json() as HookResponse;
  // nothing refused or left out
  expect(cards.find((c) => /could not check everything/i.test(c.summary))).toBeUndefined();
  return cards;
}

const cardFor = (cards: Card[], drug: string) => {
  const card = cards.find((c) => c.summary.toLowerCase().startsWith(drug));
  expect(card).toBeDefined();
  return card!;
};

describe('CGExamples: CYP2C19 *2/*2 with therapeutic implications "Poor metabolizer" (eMERGE)', () => {
  let cards: Card[];
  beforeAll(async () => {
    cards = await sign('cg-cyp2c19-poor-metabolizer.json', 'CGPatientExample01', [['32968', 'clopidogrel'], ['121243', 'voriconazole']]);
  });

  it.each(['clopidogrel', 'voriconazole'])('%s: CYP2C19 Poor Metabolizer, as stated', (drug) => {
    const card = cardFor(cards, drug);
    expect(card.summary).toMatch(/CYP2C19 Poor Metabolizer/);
    expect(card.detail).toMatch(/`\*2\/\*2` → \*\*Poor Metabolizer\*\*/);
  });

  it('the implications are read as CYP2C19 results (their gene named only through derivedFrom), agreeing with the genotype', () => {
    const card = cardFor(cards, 'clopidogrel');
    expect(card.detail).toContain('Observation/TxImp01');
    expect(card.detail).not.toMatch(/lab reported/);
  });
});

describe('CGExamples: HLA-B*15:02, "High risk" for carbamazepine', () => {
  it('carbamazepine: HLA-B*15:02 positive → avoid; the drug-specific implication is not taken for a phenotype', async () => {
    const card = cardFor(await sign('cg-hla-b-1502.json', 'CGPatientExample01', [['2002', 'carbamazepine']]), 'carbamazepine');
    expect(card.indicator).toBe('critical');
    expect(card.summary).toMatch(/HLA-B\*15:02 positive — avoid/);
    expect(card.detail).not.toMatch(/reclassif|lab reported/i);
  });
});

describe('bundle-pgxexample: CYP2C9 *4/*35B with a "Rapid metabolizer" implication', () => {
  it('a CYP2C9 drug: indeterminate, and the card says why (sub-allele *35B not in the CPIC table; the stated phenotype not a CPIC CYP2C9 term)', async () => {
    const card = cardFor(await sign('pgxexample-cyp2c9.json', 'ExamplePatient', [['140587', 'celecoxib']]), 'celecoxib');
    expect(card.summary).toMatch(/CYP2C9 result indeterminate/);
    expect(card.summary).not.toMatch(/normal|standard/i);
    expect(card.detail).toContain("\\*35B is not in CPIC's CYP2C9 allele table");
    expect(card.detail).toContain('lab reported "Rapid Metabolizer"');
    expect(card.detail).toContain('Observation/med-impact-pgx-example');
  });
});

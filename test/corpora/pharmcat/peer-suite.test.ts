/**
 * Peer suite: PharmCAT's published example reports (test/corpora/pharmcat/cases.json, extracted from
 * PharmGKB/PharmCAT docs/examples by scripts/build-pharmcat-corpus.ts; provenance in the file and README.md)
 * run through the service over HTTP. Each case's gene calls become genotype Observations; every CPIC drug
 * PharmCAT reports for the case is ordered. Checked: (1) each gene's phenotype on the card equals PharmCAT's;
 * (2) actionability — PharmCAT's matched CPIC recommendation calls for a change (dose information or an
 * alternative) exactly when our card is a warning or critical PGx recommendation. Every disagreement is listed
 * in KNOWN_DIFFERENCES with the reason, quoting CPIC; an unlisted disagreement fails the test.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Card } from '../../../src/cdshooks/types';
import { projectPath } from '../../../src/paths';
import { callHook, spec, startService } from '../../scenarios/helpers';

interface GeneCall {
  callSource: string;
  diplotype: string;
  phenotypes: string[];
}
interface Annotation {
  population: string | null;
  classification: string | null;
  phenotypes: Record<string, string>;
  dosingInformation: boolean;
  alternateDrugAvailable: boolean;
  otherPrescribingGuidance: boolean;
}
interface Case {
  id: string;
  genes: Record<string, GeneCall>;
  drugs: Record<string, Annotation[]>;
}

const corpus = JSON.parse(readFileSync(projectPath('test/corpora/pharmcat/cases.json'), 'utf8')) as { cases: Case[] };
const drugTable = JSON.parse(readFileSync(projectPath('terminology/drugs.json'), 'utf8')) as { drugs: { name: string; rxcui: string }[] };
const recs = JSON.parse(readFileSync(projectPath('terminology/recommendations.json'), 'utf8')) as {
  rows: { drug: string; population: string; lookup: Record<string, string> }[];
};
const rxcuiOf = new Map(drugTable.drugs.map((d) => [d.name, d.rxcui]));
const ourPopulation = new Map(recs.rows.map((r) => [r.drug, r.population.trim()]));
const ourGenes = new Map(recs.rows.map((r) => [r.drug, Object.keys(r.lookup)]));

/**
 * Phenotype terms that differ by design, gene → reason. A gene listed here is not compared.
 */
const KNOWN_PHENOTYPE_DIFFERENCES: Record<string, string> = {
  IFNL3:
    'PharmCAT reports "n/a": CPIC looks IFNL3 up by allele status and publishes no per-genotype rows (CPIC v1.30.0 export: ' +
    'peginterferon "recommendations: null"); our "Favorable/Unfavorable response genotype" is this project\'s own label of the ' +
    'CPIC 2014 guideline (PMID 24096968: "rs12979860 CC … favorable response genotype").',
};

/**
 * Drug-level disagreements in actionability, "case/drug" → reason quoting CPIC (as PharmCAT's report quotes it).
 * Listed differences are accepted whether or not they still occur (the indicator rule and partial-genotype rows are
 * being changed to agree with CPIC); an unlisted one fails.
 */
const OPIOID_IM =
  'CPIC (CYP2D6 activity score 1.0): "Use {drug} label recommended age- or weight-specific dosing. If no response and ' +
  'opioid use is warranted, consider a non-… opioid." — standard dosing, which PharmCAT reports without dose or alternative ' +
  'flags; our row is stored as "monitor" and shown as a warning.';
const MH_UNCERTAIN =
  'CPIC (RYR1 and CACNA1S uncertain susceptibility, Strong): "Clinical findings, family history, further genetic testing ' +
  'and other laboratory data should guide use of halogenated volatile anesthetics or depolarizing muscle relaxants." — no ' +
  'genotype-driven change; our row is stored as "monitor" and shown as a warning.';
const WARFARIN =
  'PharmCAT matches no warfarin row ("Please follow the flow chart in figure 2 of the CPIC warfarin guideline"); CPIC\'s ' +
  'Figure 2 asks to "calculate dose based on validated published pharmacogenetic algorithms" for every genotype, which our ' +
  'card does (IWPC estimate) and marks as a dose decision.';
const TCA_NO_CYP2D6 =
  'CPIC publishes a row for CYP2D6 "No Result" with CYP2C19 Poor Metabolizer: "Avoid tertiary amine use due to potential ' +
  'for sub-optimal response. … For tertiary amines, consider a 50% reduction of the recommended starting dose." We do not ' +
  'carry CPIC\'s "No Result" rows for the tricyclics yet, so the card only asks for the CYP2D6 test.';
const KNOWN_DIFFERENCES: Record<string, string> = {
  'pharmcat.example/codeine': OPIOID_IM.replace('{drug}', 'codeine'),
  'pharmcat.example/tramadol': OPIOID_IM.replace('{drug}', 'tramadol'),
  'pharmcat.example/hydrocodone': OPIOID_IM.replace('{drug}', 'hydrocodone'),
  ...Object.fromEntries(
    ['pharmcat.example', 'pharmcat.example2'].flatMap((c) =>
      ['desflurane', 'enflurane', 'halothane', 'isoflurane', 'methoxyflurane', 'sevoflurane', 'succinylcholine'].map((d) => [`${c}/${d}`, MH_UNCERTAIN]),
    ),
  ),
  'pharmcat.example/warfarin': WARFARIN,
  'pharmcat.example2/warfarin': WARFARIN,
  ...Object.fromEntries(['amitriptyline', 'clomipramine', 'doxepin', 'imipramine', 'trimipramine'].map((d) => [`pharmcat.example2/${d}`, TCA_NO_CYP2D6])),
};

test('every recorded difference names a case and a drug of the corpus', () => {
  for (const key of Object.keys(KNOWN_DIFFERENCES)) {
    const [caseId, drug] = key.split('/');
    expect(corpus.cases.find((c) => c.id === caseId)?.drugs[drug!]).toBeDefined();
  }
});

function pharmcatActionable(a: Annotation | undefined): boolean {
  if (!a || /no recommendation/i.test(a.classification ?? '')) return false;
  return a.dosingInformation || a.alternateDrugAvailable;
}

/** PharmCAT's annotation for the population our rows carry (CPIC rows for one population per drug). */
function annotationFor(drug: string, list: Annotation[]): Annotation | undefined {
  const pop = ourPopulation.get(drug);
  return list.find((a) => (a.population ?? 'general').trim() === pop) ?? (list.length === 1 ? list[0] : list.find((a) => !a.population || a.population === 'general'));
}

const escaped = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

let app: FastifyInstance;
beforeAll(async () => {
  app = await startService();
});
afterAll(() => app.close());

describe.each(corpus.cases.map((c) => [c.id, c] as const))('PharmCAT %s', (_id, c) => {
  const drugs = Object.keys(c.drugs).filter((d) => rxcuiOf.has(d) && ourPopulation.has(d)).sort();
  let cards: Card[];
  beforeAll(async () => {
    const genotypes = Object.entries(c.genes)
      .filter(([, g]) => g.callSource !== 'NONE')
      .map(([gene, g]) => ({ gene, value: `${gene} ${g.diplotype}`, daysAgo: 30 }));
    const patient = spec('pbh-dan', {
      genotypes,
      activeMedications: [],
      plan: null,
      orders: drugs.map((d) => ({ rxcui: rxcuiOf.get(d)!, display: d })),
    });
    ({ cards } = await callHook(app, patient, 'order-select'));
  });

  it('orders most of the CPIC drugs PharmCAT reports', () => {
    expect(drugs.length).toBeGreaterThan(60);
  });

  it('every gene phenotype on the cards equals PharmCAT\'s (or the difference is recorded)', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const [gene, g] of Object.entries(c.genes)) {
      if (g.callSource === 'NONE' || g.phenotypes.length === 0 || KNOWN_PHENOTYPE_DIFFERENCES[gene]) continue;
      const phenos = g.phenotypes.filter((p) => p !== 'n/a');
      const withGene = cards.filter((card) => card.detail?.includes(`**${gene}**`));
      for (const card of withGene) {
        compared++;
        for (const p of phenos) if (!card.detail!.includes(escaped(p))) disagreements.push(`${gene} ${g.diplotype}: PharmCAT ${p}; card ${card.summary}`);
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(disagreements).toEqual([]);
  });

  it('actionability agrees with PharmCAT for every drug (or the difference is recorded, quoting CPIC)', () => {
    const disagreements: string[] = [];
    for (const d of drugs) {
      const expected = pharmcatActionable(annotationFor(d, c.drugs[d]!));
      const card = cards.find((x) => x.summary.toLowerCase().startsWith(d.toLowerCase() + ':'));
      const ours = !!card && card.indicator !== 'info' && card.source.topic?.code === 'pgx-recommendation';
      const key = `${c.id}/${d}`;
      if (expected !== ours && !KNOWN_DIFFERENCES[key]) {
        disagreements.push(`${key}: PharmCAT ${expected ? 'actionable' : 'not actionable'}; ours ${card ? `${card.indicator} "${card.summary}"` : 'no card'} (genes ${ourGenes.get(d)?.join('+')})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

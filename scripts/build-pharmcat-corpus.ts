/**
 * Extract the peer-suite corpus (test/corpora/pharmcat/cases.json) from PharmCAT's published example reports:
 * per case, each gene's call (diplotype, phenotype, activity score, lookup key) and, per drug, CPIC's matched
 * recommendation as PharmCAT reports it (population, strength, phenotype keys, the three actionability flags).
 * Only structured fields are kept — no recommendation prose.
 *   npx tsx scripts/build-pharmcat-corpus.ts <PharmCAT checkout or exported tree> <commit>
 * (docs/examples/pharmcat.example.report.json and pharmcat.example2.report.json are read from it.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) throw new Error('usage: build-pharmcat-corpus.ts <dir> <commit>');
const FILES = ['pharmcat.example.report.json', 'pharmcat.example2.report.json'];

const cases = FILES.map((file) => {
  const r = JSON.parse(readFileSync(join(dir, 'docs/examples', file), 'utf8')) as Obj;
  const genes: Obj = {};
  for (const [gene, g] of Object.entries(r.genes as Obj)) {
    const d = (g.recommendationDiplotypes as Obj[])[0];
    genes[gene] = {
      callSource: g.callSource,
      diplotype: d.label,
      phenotypes: d.phenotypes ?? [],
      activityScore: d.activityScore ?? null,
      lookupKeys: d.lookupKey ?? [],
    };
  }
  const drugs: Obj = {};
  for (const [name, drug] of Object.entries((r.drugs as Obj)['CPIC Guideline Annotation'] as Obj)) {
    const annotations = (drug.guidelines as Obj[]).flatMap((gl) =>
      (gl.annotations as Obj[]).map((a) => ({
        guideline: gl.name,
        population: a.population ?? null,
        classification: a.classification ?? null,
        phenotypes: a.phenotypes ?? {},
        lookupKey: a.lookupKey ?? [],
        dosingInformation: !!a.dosingInformation,
        alternateDrugAvailable: !!a.alternateDrugAvailable,
        otherPrescribingGuidance: !!a.otherPrescribingGuidance,
      })),
    );
    drugs[name] = annotations;
  }
  return { id: r.title, pharmcatVersion: r.pharmcatVersion, dataVersion: r.dataVersion, genes, drugs };
});

const out = {
  source: {
    repo: 'PharmGKB/PharmCAT',
    commit,
    paths: FILES.map((f) => `docs/examples/${f}`),
    license:
      'PharmCAT is MPL-2.0; the recommendation data in its reports are CPIC (CC0) and PharmGKB annotations (CC BY-SA 4.0, attribution: PharmGKB/ClinPGx, https://www.clinpgx.org). Only structured fields are kept here.',
    generator: 'scripts/build-pharmcat-corpus.ts',
  },
  cases,
};
writeFileSync(resolve(__dirname, '../test/corpora/pharmcat/cases.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote test/corpora/pharmcat/cases.json (${cases.length} cases)`);

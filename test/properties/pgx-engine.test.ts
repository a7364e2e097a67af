/**
 * Properties of the PGx engine and of the decision's cards, over generated input (fast-check):
 * interpretation is total and never defaults to "normal" on unknown input, a diplotype's phenotype does
 * not depend on allele order, and every card summary fits the CDS Hooks 140-character limit.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Observation } from 'fhir/r4';
import { buildPatientRecord } from '../../src/cdshooks/patient-record';
import { resolveData } from '../../src/cdshooks/prefetch';
import { loadServiceDefinitions } from '../../src/cdshooks/services';
import type { HookName, HookRequest } from '../../src/cdshooks/types';
import { testConfig } from '../support/config';
import { decide } from '../../src/decision/decide';
import { buildGenotypeObservation, buildHookRequest, HGNC_IDS, type ExampleFile, type ExampleSpec, type PlanBindings } from '../../src/sample-patients/build-request';
import { FhirClient } from '../../src/fhir/client';
import { fhirR4Model } from '../../src/fhir/read-paths';
import { loadKnowledge } from '../../src/loaders';
import { projectPath } from '../../src/paths';
import { interpretGenomics } from '../../src/pgx';
import { aliasKey } from '../../src/pgx/gene-knowledge';

const knowledge = loadKnowledge(testConfig());
const kb = knowledge.pgx.genes;
const NOW = '2026-06-01T12:00:00.000Z';
const PATIENT = 'prop-patient';

/** diplotype genes of the tables that the examples can also express as Genomics IG Observations */
const DIPLOTYPE_GENES = [...kb.genes.values()].filter((g) => g.method !== 'x-linked' && g.method !== 'single-allele' && !g.carrierAlleles && HGNC_IDS[g.gene] && Object.keys(g.alleles).some((a) => a.startsWith('*'))).map((g) => g.gene);
const starAlleles = (gene: string) => Object.keys(kb.genes.get(gene)!.alleles).filter((a) => /^\*[0-9A-Za-z.]+$/.test(a));

const observation = (gene: string, value: string): Observation => buildGenotypeObservation(PATIENT, { gene, value, daysAgo: 10 }, NOW, 0);
const interpret = (gene: string, value: string) => interpretGenomics([observation(gene, value)], PATIENT, kb)[gene];

/** every lookup key CPIC's tables for the gene can produce */
const lookupKeys = (gene: string): Set<string> => {
  const g = kb.genes.get(gene)!;
  return new Set(
    [...Object.values(g.pairRules ?? {}), ...Object.values(g.scoreRules ?? {}), ...Object.values(g.singleRules ?? {})]
      .map((r) => r.lookupKey)
      .filter((k): k is string => !!k),
  );
};

const junkToken = fc.oneof(
  fc.constantFrom('*', '**2', '*999', '*1x', 'xN', '*0', '*-1', '', ' ', '/', '*1/*', 'null', 'Normal', 'Normal Metabolizer', '*1 /', '\u0000'),
  fc.string({ maxLength: 10 }),
);

test('knowledge offers several diplotype genes to sample from', () => {
  expect(DIPLOTYPE_GENES).toEqual(expect.arrayContaining(['CYP2C19', 'CYP2D6', 'CYP2C9', 'TPMT']));
});

describe('any diplotype text → a CPIC result or an explicit indeterminate with a reason', () => {
  test('random text with real and junk alleles', () => {
    const arb = fc
      .constantFrom(...DIPLOTYPE_GENES)
      .chain((gene) =>
        fc.tuple(
          fc.constant(gene),
          fc.boolean(),
          fc.oneof(fc.constantFrom(...starAlleles(gene)), junkToken),
          fc.constantFrom('/', '//', ' / ', '|', ';', ''),
          fc.oneof(fc.constantFrom(...starAlleles(gene)), junkToken),
        ),
      );
    fc.assert(
      fc.property(arb, ([gene, prefix, a, sep, b]) => {
        const text = `${prefix ? `${gene} ` : ''}${a}${sep}${b}`;
        const r = interpret(gene, text);
        expect(r).toBeDefined();
        if (r!.status === 'indeterminate') {
          expect(r!.reason).toEqual(expect.any(String));
          expect(r!.reason!.length).toBeGreaterThan(0);
          expect(r!.lookupKey).toBeUndefined();
          expect(r!.phenotype).not.toMatch(/normal/i);
        } else {
          // a CPIC phenotype of this gene, indexed by a key CPIC's tables produce (activity genes: the score)
          const g = kb.genes.get(gene)!;
          expect([...g.phenotypeTerms.values()].map((p) => p.phenotype)).toContain(r!.phenotype);
          if (g.scoreRanges) expect(r!.lookupKey).toBe(r!.activityScore);
          else expect(lookupKeys(gene).has(r!.lookupKey!)).toBe(true);
        }
        // a token that is not one of the gene's alleles can never yield a determinate result
        const tokens = [a, b].map((t) => aliasKey(t));
        const known = (t: string) => kb.genes.get(gene)!.aliases.has(t);
        if (sep === '/' && tokens.some((t) => t && !known(t) && /^\*\d{3,}$/.test(t))) {
          expect(r!.status).toBe('indeterminate');
        }
      }),
      { numRuns: 400 },
    );
  });

  test('an allele CPIC does not list is indeterminate, never a default normal phenotype', () => {
    const arb = fc.constantFrom(...DIPLOTYPE_GENES).chain((gene) =>
      fc.tuple(fc.constant(gene), fc.constantFrom(...starAlleles(gene)), fc.integer({ min: 900, max: 99999 }), fc.boolean()),
    );
    fc.assert(
      fc.property(arb, ([gene, real, n, first]) => {
        fc.pre(!kb.genes.get(gene)!.aliases.has(`*${n}`));
        const text = first ? `*${n}/${real}` : `${real}/*${n}`;
        const r = interpret(gene, text)!;
        expect(r.status).toBe('indeterminate');
        expect(r.phenotype).not.toMatch(/normal/i);
        expect(r.reason).toBeTruthy();
      }),
      { numRuns: 200 },
    );
  });
});

test('phenotype is symmetric in allele order (real alleles sampled from the tables)', () => {
  const arb = fc.constantFrom(...DIPLOTYPE_GENES).chain((gene) => fc.tuple(fc.constant(gene), fc.constantFrom(...starAlleles(gene)), fc.constantFrom(...starAlleles(gene))));
  fc.assert(
    fc.property(arb, ([gene, a, b]) => {
      const ab = interpret(gene, `${a}/${b}`)!;
      const ba = interpret(gene, `${b}/${a}`)!;
      expect(ba.status).toBe(ab.status);
      expect(ba.phenotype).toBe(ab.phenotype);
      expect(ba.lookupKey).toBe(ab.lookupKey);
      expect(ba.activityScore).toBe(ab.activityScore);
      expect(ba.diplotype).toBe(ab.diplotype);
    }),
    { numRuns: 400 },
  );
});

describe('decide: card summaries stay under 140 characters', () => {
  const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
  const bindings = JSON.parse(readFileSync(projectPath('examples/plan-bindings.json'), 'utf8')) as PlanBindings;
  const services = loadServiceDefinitions();
  const fhir = new FhirClient({ allowedHosts: [] });
  afterAll(() => fhir.close());
  const drugs = knowledge.pgx.drugs.drugs.map((d) => ({ rxcui: d.rxcui, display: d.name }));
  const plans = [...new Set(examples.patients.map((p) => p.plan))];

  const genotype = fc.constantFrom(...DIPLOTYPE_GENES).chain((gene) =>
    fc.tuple(fc.constant(gene), fc.oneof(fc.constantFrom(...starAlleles(gene)), junkToken), fc.oneof(fc.constantFrom(...starAlleles(gene)), junkToken)).map(([g, a, b]) => ({ gene: g, value: `${g} ${a}/${b}`, daysAgo: 30 })),
  );
  const patient = fc.record({
    base: fc.constantFrom(...examples.patients),
    genotypes: fc.array(genotype, { maxLength: 5 }),
    orders: fc.array(fc.oneof(fc.constantFrom(...drugs), fc.record({ rxcui: fc.stringMatching(/^[0-9]{1,9}$/), display: fc.string({ maxLength: 200 }) })), { minLength: 1, maxLength: 4 }),
    plan: fc.constantFrom(...plans),
    hook: fc.constantFrom<HookName>('order-select', 'order-sign'),
  });

  test('generated patients, genotypes, drugs and plans', async () => {
    await fc.assert(
      fc.asyncProperty(patient, async ({ base, genotypes, orders, plan, hook }) => {
        const spec: ExampleSpec = { ...structuredClone(base), genotypes, orders, plan };
        const body = buildHookRequest(spec, { hook, now: NOW, bindings, hookInstance: randomUUID() }) as unknown as HookRequest;
        const service = services.find((s) => s.hook === hook)!;
        const data = await resolveData(service, body, { fhir, policy: { requireHttps: true, allowedHosts: [] }, deadlineMs: 100, maxPages: 1, model: fhirR4Model(), leniencies: [] });
        const outcome = decide(
          buildPatientRecord(body, data),
          { hook, serviceId: service.id, hookInstance: body.hookInstance, selections: hook === 'order-select' ? body.context.selections : undefined, now: NOW, serviceBaseUrl: 'https://pbh.example.org' },
          knowledge,
        );
        for (const card of outcome.response.cards) {
          expect(card.summary.length).toBeLessThan(140);
          expect(card.summary.trim()).not.toBe('');
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * What must never appear in a log line: the test tokens, the test patient / user ids and anything shaped
 * like a genotype. One list, used by the end-of-suite log scan and by the reliability tests that plant them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Tokens the tests send as client JWTs or FHIR access tokens (plant new ones here). */
export const TEST_TOKENS = [
  'tok-http',
  'secret-token-123',
  'fhir-access-token-SHOULD-NOT-LEAK',
  'c2lnbmF0dXJlLVNIT1VMRC1OT1QtTEVBSw', // signature part of the log-redaction test's client JWT
  'rel-fhir-token-do-not-log',
  'chaos-fhir-token-do-not-log',
];

/** Patient and user ids of the tests' fixtures and of examples/patients.json (the `pbh-…` sample people). */
export function testIdentifiers(): string[] {
  const examples = JSON.parse(readFileSync(path.join(ROOT, 'examples/patients.json'), 'utf8')) as { patients: { id: string }[] };
  return ['pat-7c31f0', 'prac-1', 'rel-patient-0042', 'rel-other-patient-77', ...examples.patients.map((p) => p.id)];
}

/** Genotype-like strings: star-allele diplotypes (`*2/*17`, `*1x2/*4`), HLA alleles, rsID genotypes. */
export const GENOTYPE_PATTERNS: RegExp[] = [
  /\*\d+[A-Z]?(?:x(?:\d+|N))?\s*\/\s*\*\d+/,
  /HLA-[A-Z0-9]+\*\d+:\d+/,
  /rs\d{3,}\s+[ACGT]\/[ACGT]/,
  // tumour variants as p. HGVS (three-letter amino acids): "p.Leu858Arg", "p.Gly12Asp"
  /p\.[A-Z][a-z]{2}\d+[A-Z][a-z]{2}/,
];

export interface LeakFinding {
  line: number;
  kind: 'token' | 'identifier' | 'genotype';
  marker: string;
}

/** Every marker found in a log text (line numbers 1-based). */
export function findLeaks(text: string, identifiers: string[] = testIdentifiers()): LeakFinding[] {
  const found: LeakFinding[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line) return;
    for (const t of TEST_TOKENS) if (line.includes(t)) found.push({ line: i + 1, kind: 'token', marker: t });
    for (const id of identifiers) if (line.includes(id)) found.push({ line: i + 1, kind: 'identifier', marker: id });
    for (const re of GENOTYPE_PATTERNS) {
      const m = re.exec(line);
      if (m) found.push({ line: i + 1, kind: 'genotype', marker: m[0] });
    }
  });
  return found;
}

/** `npm run demo`: the terminal rendering (pure) and a full in-process run over every sample patient. */
import { readFileSync } from 'node:fs';
import type { ExampleFile } from '../../src/sample-patients/build-request';
import { projectPath } from '../../src/paths';
import { ansi, cleanMarkdown, plain, renderCard, renderCoverage, runDemo, useColour, wrap } from '../../scripts/demo';

describe('cleanMarkdown', () => {
  it('drops emphasis and code marks, keeps link targets, flattens tables and bullets', () => {
    const md = [
      '## Why',
      '**CYP2C19 poor metabolizer** (`*2/*2`): _reduced_ activation of clopidogrel.',
      '',
      '| Gene | Phenotype |',
      '|---|:---:|',
      '| CYP2C19 | Poor metabolizer |',
      '',
      '- see [CPIC guideline](https://cpicpgx.org/guidelines/) for details',
      '<br>',
    ].join('\n');
    expect(cleanMarkdown(md)).toBe(
      [
        'Why',
        'CYP2C19 poor metabolizer (*2/*2): reduced activation of clopidogrel.',
        '',
        'Gene  ·  Phenotype',
        'CYP2C19  ·  Poor metabolizer',
        '',
        '• see CPIC guideline <https://cpicpgx.org/guidelines/> for details',
      ].join('\n'),
    );
  });

  it('keeps star-allele names intact, escaped or not', () => {
    expect(cleanMarkdown('CYP2C19 *2/*17 and *1/*1')).toBe('CYP2C19 *2/*17 and *1/*1');
    expect(cleanMarkdown('Alleles: \\*2: No function; \\*2: No function')).toBe('Alleles: *2: No function; *2: No function');
  });
});

describe('wrap', () => {
  it('wraps at the width and hangs bullet continuation lines', () => {
    const lines = wrap('• one two three four five six', 12);
    expect(lines).toEqual(['• one two', '  three four', '  five six']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(12);
  });
  it('hangs numbered-list continuation lines too', () => {
    expect(wrap('1. prasugrel tier preferred-brand', 14)).toEqual(['1. prasugrel', '   tier', '   preferred-brand']);
  });
  it('keeps blank lines between paragraphs', () => {
    expect(wrap('a b\n\nc', 80)).toEqual(['a b', '', 'c']);
  });
});

describe('renderCard / renderCoverage', () => {
  const card = {
    summary: 'CYP2C19 poor metabolizer: avoid clopidogrel',
    indicator: 'critical',
    detail: '**Expected to be ineffective.**',
    source: { label: 'CPIC', url: 'https://cpicpgx.org/' },
    suggestions: [{ label: 'Order prasugrel instead', isRecommended: true, actions: [{ type: 'delete', description: 'Remove clopidogrel' }] }],
    overrideReasons: [{ code: 'patient-preference', display: 'Patient preference' }],
  };

  it('prints indicator, summary, cleaned detail, suggestions with their actions, override reasons, source', () => {
    const text = renderCard(card, 80, plain).join('\n');
    expect(text).toContain('CRITICAL  CYP2C19 poor metabolizer: avoid clopidogrel');
    expect(text).toContain('Expected to be ineffective.');
    expect(text).not.toContain('**');
    expect(text).toContain('★ Suggestion: Order prasugrel instead');
    expect(text).toContain('delete: Remove clopidogrel');
    expect(text).toContain('Override reasons: Patient preference');
    expect(text).toContain('Source: CPIC <https://cpicpgx.org/>');
  });

  it('colours by indicator with ANSI only when asked', () => {
    expect(renderCard(card, 80, ansi)[0]).toContain('\u001b[1;31m');
    expect(renderCard({ ...card, indicator: 'warning' }, 80, ansi)[0]).toContain('\u001b[1;33m');
    expect(renderCard({ ...card, indicator: 'info' }, 80, ansi)[0]).toContain('\u001b[1;34m');
    expect(renderCard(card, 80, plain).join('')).not.toContain('\u001b[');
    expect(useColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(useColour({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColour({}, true)).toBe(true);
  });

  it('reads the CRD coverage-information of each order', () => {
    const lines = renderCoverage(
      [
        {
          type: 'update',
          description: 'coverage',
          resource: {
            resourceType: 'MedicationRequest',
            medicationCodeableConcept: { text: 'clopidogrel 75 MG Oral Tablet' },
            extension: [
              {
                url: 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information',
                extension: [
                  { url: 'covered', valueCode: 'covered' },
                  { url: 'pa-needed', valueCode: 'no-auth' },
                  { url: 'reason', valueCodeableConcept: { text: 'generic, tier 1' } },
                  { url: 'detail', extension: [{ url: 'code', valueCodeableConcept: { coding: [{ code: 'tier', display: 'Tier' }] } }, { url: 'value', valueString: 'generic' }] },
                ],
              },
            ],
          },
        },
      ],
      plain,
    );
    expect(lines).toEqual(['  clopidogrel 75 MG Oral Tablet — covered: covered · prior auth: no-auth', '      generic, tier 1', '      Tier: generic']);
  });
});

describe('runDemo', () => {
  it('sends every sample patient through the real service and prints each answer', async () => {
    const examples = JSON.parse(readFileSync(projectPath('examples/patients.json'), 'utf8')) as ExampleFile;
    let out = '';
    const code = await runDemo([], (s) => (out += s), plain, 100);
    expect(code).toBe(0);
    for (const p of examples.patients) expect(out).toContain(`${p.title}  (${p.id})`);
    expect(out.match(/card\(s\), \d+ system action\(s\) in \d+ ms/g)).toHaveLength(examples.patients.length);
    expect(out).not.toContain('\u001b[');
  });

  it('rejects an unknown patient id', async () => {
    let out = '';
    expect(await runDemo(['nobody'], (s) => (out += s), plain, 100)).toBe(2);
    expect(out).toMatch(/Unknown patient id\(s\): nobody/);
  });
});

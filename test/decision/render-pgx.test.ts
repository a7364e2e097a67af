/** renderPgx: the pharmacogenomics section of a card's detail, a rendering of the PgxAssessment it was decided from. */
import { renderPgx } from '../../src/decision/render-markdown';
import { clopidogrelPgx, recommendation } from './builders';

describe('renderPgx', () => {
  it('a recommendation: the result with its source, then the advice with strength, alternatives and source, then the knowledge version', () => {
    const lines = renderPgx(clopidogrelPgx(), []);
    expect(lines[0]).toBe('### Pharmacogenomics');
    expect(lines).toContain('- **CYP2C19** `*2/*2` → **Poor Metabolizer** _(Observation/obs-1)_');
    expect(lines).toContain('**Recommendation** (Strong): Avoid clopidogrel; use prasugrel or ticagrelor.');
    expect(lines).toContain('- Alternatives per CPIC: prasugrel, ticagrelor');
    expect(lines).toContain(
      '- Source: [CPIC guideline for CYP2C19 and clopidogrel](https://cpicpgx.org/guidelines/cpic-guideline-for-clopidogrel/); CPIC data test; rule `clopidogrel-cyp2c19-pm`',
    );
    expect(lines[lines.length - 1]).toBe('- Knowledge: CPIC test');
  });

  it('an unrecognised drug: one sentence, nothing else', () => {
    const pgx = clopidogrelPgx({ verdict: 'unrecognised', drug: { display: 'Mysterium 5 mg', recognised: false }, genes: [], recommendation: undefined });
    expect(renderPgx(pgx, [])).toEqual([
      '### Pharmacogenomics',
      'The ordered medication (Mysterium 5 mg) was not recognised, so no pharmacogenomic check was made.',
    ]);
  });

  it('untested with results that could not be retrieved: says why, and names the missing gene', () => {
    const pgx = clopidogrelPgx({ verdict: 'untested', genes: [], missingGenes: ['CYP2C19'], recommendation: undefined });
    const lines = renderPgx(pgx, [{ key: 'pgx', reason: 'FHIR server timed out after 800 ms' }]);
    expect(lines).toContain('Genomic results could not be retrieved: FHIR server timed out after 800 ms.');
    expect(lines).toContain('- No result for CYP2C19 on file.');
  });

  it('phenoconversion: the effective phenotype and the drug causing it are named', () => {
    const pgx = clopidogrelPgx({
      effectivePhenotypes: [{ gene: 'CYP2C19', genotypePhenotype: 'Normal Metabolizer', effectivePhenotype: 'Poor Metabolizer', cause: { drug: 'fluvoxamine', strength: 'strong' } }],
      recommendation: recommendation(),
    });
    expect(renderPgx(pgx, []).join('\n')).toMatch(/\*\*Phenoconversion\*\*: CYP2C19 genotype predicts _Normal Metabolizer_, but fluvoxamine \(strong CYP2C19 inhibitor/);
  });

  it('text from outside is rendered as text, never as markup', () => {
    const pgx = clopidogrelPgx({ verdict: 'unrecognised', drug: { display: '<img src=x> [x](javascript:alert(1))', recognised: false }, genes: [], recommendation: undefined });
    const [, line] = renderPgx(pgx, []);
    // every character that could open markup is backslash-escaped (the property tests render such text)
    expect(line).toContain('(\\<img src=x\\> \\[x\\](javascript:alert(1)))');
  });
});

/**
 * Configuration: one JSON Schema over the environment (src/config.ts), the README's table listing the same
 * variables, and start-up problems in words, every one at once, never repeating a secret.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ENV_SCHEMA, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

test("the README's configuration table lists exactly the variables of the schema", () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const documented = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const firstCell = row.split('|')[1];
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) documented.add(m[1]);
  }
  expect([...documented].sort()).toEqual(Object.keys(ENV_SCHEMA.properties).sort());
});

test('defaults: production is strict, demo relaxes only the profile defaults', () => {
  const demo = loadConfig({ PBH_PROFILE: 'demo', PBH_DATA_DIR: 'memory://' });
  expect(demo).toMatchObject({
    port: 8080, host: '0.0.0.0', logLevel: 'info', allowUnsigned: true, requireHttpsFhir: false, adminToken: 'demo-admin-token',
    fhirAllowedHosts: ['localhost', '127.0.0.1', '::1'], fhirDeadlineMs: 1200, fhirMaxPages: 5, corsOrigins: '*', auditRetentionDays: 2190,
  });
  expect(demo.auditJournalDir).toBeUndefined();
  const prod = loadConfig({ PBH_PSEUDONYM_KEY: 'a-long-enough-pseudonym-key', PBH_TRUSTED_ISSUERS: '[{"iss":"https://ehr.example.org","jwksUrl":"https://ehr.example.org/jwks"}]' });
  expect(prod).toMatchObject({ profile: 'production', allowUnsigned: false, requireHttpsFhir: true, fhirAllowedHosts: [], adminToken: undefined });
  expect(prod.auditJournalDir).toBe(path.resolve('.pbh-data', 'audit-journal'));
});

test('the text of the environment is read as its type: numbers, yes/no words, lists, "off"', () => {
  const c = loadConfig({
    PBH_PROFILE: 'demo', PORT: '9090', PBH_ALLOW_UNSIGNED: 'NO', PBH_TRUSTED_ISSUERS: '[{"iss":"https://a.example.org","jwksUrl":"https://keys.example.org/jwks"}]',
    PBH_CORS_ORIGINS: 'https://a.example.org, https://b.example.org', PBH_FHIR_ALLOWED_HOSTS: '', PBH_AUDIT_JOURNAL_DIR: ' off ', HOST: '',
  });
  expect(c).toMatchObject({ port: 9090, allowUnsigned: false, corsOrigins: ['https://a.example.org', 'https://b.example.org'], fhirAllowedHosts: [], host: '0.0.0.0' });
  expect(c.auditJournalDir).toBeUndefined();
});

test('every problem at once, one line per variable, by name; secrets are never repeated', () => {
  const problems = problemsOf({
    PBH_PROFILE: 'production', PORT: 'abc', LOG_LEVEL: 'loud', PBH_ALLOW_UNSIGNED: 'maybe', PBH_FHIR_MAX_PAGES: '0',
    PBH_ADMIN_TOKEN: 'tiny-secret', DATABASE_URL: 'mysql://u:pw-secret@db', PBH_TRUSTED_ISSUERS: 'not json',
  });
  expect(problems).toEqual(
    expect.arrayContaining([
      'PORT must be an integer between 0 and 65535 (got "abc")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'PBH_ALLOW_UNSIGNED must be true or false (got "maybe")',
      'PBH_FHIR_MAX_PAGES must be an integer between 1 and 50 (got "0")',
      'PBH_ADMIN_TOKEN must be at least 12 characters',
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
      'PBH_TRUSTED_ISSUERS must be a JSON array of {"iss": "...", "jwksUrl": "https://..."}',
      'PBH_PSEUDONYM_KEY is required in the production profile (a long random secret)',
    ]),
  );
  expect(problems).toHaveLength(8);
  expect(problems.join('\n')).not.toMatch(/tiny-secret|pw-secret/);
  expect(problemsOf({ PBH_PROFILE: 'staging' })).toContain('PBH_PROFILE must be "demo" or "production" (got "staging")');
});

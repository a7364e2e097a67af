/**
 * The suite-wide log scan (test/support/log-scan-teardown.ts) is real: tests log at info level to files,
 * and the scanner finds every kind of marker — and nothing in an ordinary request log line.
 */
import { readFileSync } from 'node:fs';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { hookRequest } from '../support/fixtures';
import { findLeaks, TEST_TOKENS, testIdentifiers } from '../support/sensitive-markers';

test('under Jest, testConfig logs at info level to a file under test-output/logs', () => {
  const c = testConfig();
  expect(c.logLevel).toBe('info');
  expect(c.logFile).toMatch(/test-output[/\\]logs[/\\]worker-\d+-\d+\.log$/);
});

test('the markers cover tokens, sample patient ids (pbh-…) and fixture ids', () => {
  expect(TEST_TOKENS).toContain('tok-http');
  expect(testIdentifiers()).toEqual(expect.arrayContaining(['pat-7c31f0', 'pbh-ava', 'pbh-ben']));
});

test.each([
  ['{"msg":"x","token":"tok-http"}', 'token'],
  ['{"msg":"fetching Patient/pbh-ava"}', 'identifier'],
  ['{"msg":"CYP2C19 *2/*17 seen"}', 'genotype'],
  ['{"msg":"CYP2D6 *1x2/*4"}', 'genotype'],
  ['{"msg":"HLA-B*57:01 positive"}', 'genotype'],
  ['{"msg":"rs9923231 C/T"}', 'genotype'],
])('finds %s', (line, kind) => {
  expect(findLeaks(`{"ok":1}\n${line}\n`).map((l) => [l.line, l.kind])).toContainEqual([2, kind]);
});

test('ordinary request log lines carry no marker', () => {
  const line = '{"level":30,"reqId":"5b0e","req":{"method":"POST","path":"/cds-services/pgx-benefit-order-sign"},"serviceId":"pgx-benefit-order-sign","cards":2,"gaps":0,"msg":"hook answered"}';
  expect(findLeaks(line)).toEqual([]);
});

test('a real hook call is written to this worker\'s log file, without markers', async () => {
  const config = testConfig();
  const app = await buildApp(config);
  const res = await app.inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: hookRequest('order-sign') as never });
  expect(res.statusCode).toBe(200);
  await app.close();
  const text = readFileSync(config.logFile!, 'utf8');
  expect(text).toContain('hook answered');
  expect(findLeaks(text)).toEqual([]);
});

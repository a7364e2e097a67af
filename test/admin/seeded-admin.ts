/**
 * The admin endpoints over a real store: a store on one of the test backends, seeded by the test file,
 * and a bare Fastify app with the admin plugin over it, built before the file's tests and closed after.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminPlugin, type AdminPluginOptions } from '../../src/admin/plugin';
import { testConfig, type Config } from '../../src/config';
import type { DecisionSummary } from '../../src/decision/types';
import { projectPath } from '../../src/paths';
import { SqlStore } from '../../src/store/sql-store';
import type { FeedbackRecord } from '../../src/store/types';
import type { Backend } from '../store/backends';

export const ADMIN_TOKEN = 'admin-token-for-tests-123';
export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface SeededAdmin {
  store(): SqlStore;
  app(): FastifyInstance;
}

/** `seed` fills the store (and flushes what it enqueued) before the app is built */
export function seededAdmin(
  backend: Backend,
  seed: (store: SqlStore) => Promise<void>,
  options: { config?: Partial<Config> } & Pick<AdminPluginOptions, 'labels' | 'plans'> = {},
): SeededAdmin {
  let env: Awaited<ReturnType<Backend['create']>> | undefined;
  let store: SqlStore | undefined;
  let app: FastifyInstance | undefined;
  const { config, ...plugin } = options;
  beforeAll(async () => {
    env = await backend.create();
    store = new SqlStore(env.open(), { flushIntervalMs: 20 });
    await store.init();
    await seed(store);
    app = Fastify();
    await app.register(adminPlugin, { store, config: testConfig({ adminToken: ADMIN_TOKEN, ...config }), ...plugin });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await env?.dispose();
  });
  return { store: () => store!, app: () => app! };
}

/** the EHR's feedback on a card the order-sign service issued; an override with `overrideCode` as its reason */
export const feedbackOn = (
  c: DecisionSummary,
  outcome: FeedbackRecord['outcome'],
  outcomeTimestamp: string,
  overrideCode?: string,
): FeedbackRecord => ({
  serviceId: 'pgx-benefit-order-sign',
  cardUuid: c.cardUuid,
  outcome,
  outcomeTimestamp,
  acceptedSuggestions: [],
  overrideReason: overrideCode ? { system: 'urn:pbh:override-reason', code: overrideCode, display: overrideCode } : undefined,
});

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** the validator of an admin report's published JSON Schema (profiles/admin/<name>.schema.json) */
export function reportSchemaValidator(name: string) {
  const { $id: _id, ...schema } = JSON.parse(readFileSync(projectPath('profiles', 'admin', `${name}.schema.json`), 'utf8'));
  return ajv.compile(schema);
}

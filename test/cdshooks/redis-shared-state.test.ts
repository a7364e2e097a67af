/**
 * Shared state in Redis (REDIS_URL): configuration checked at start-up, the replay cache's atomic
 * set-if-absent, and what happens when Redis is missing. The two-process test is
 * test/lifecycle/replicas-share-state.test.ts. Needs Redis at 127.0.0.1:6379 (db 5; keys under a random
 * prefix, removed afterwards), as CI provides.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { buildApp } from '../../src/app';
import { RedisReplayCache } from '../../src/cdshooks/redis-replay-cache';
import { MemoryReplayCache, type ReplayCache } from '../../src/cdshooks/replay-cache';
import { loadConfig } from '../../src/config';
import { testConfig } from '../support/config';
import { hookRequest } from '../support/fixtures';
import { startTestIssuer } from '../support/jwt';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/5';
const PREFIX = `pbh-test-${randomUUID().slice(0, 8)}:`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
  } catch (e) {
    throw new Error(`this test needs Redis at ${REDIS_URL} (CI runs one): ${(e as Error).message}`);
  }
});
afterAll(async () => {
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('configuration', () => {
  const base = { PBH_PROFILE: 'demo' };
  test('REDIS_URL must be a redis:// or rediss:// URL; the URL (it may hold a password) is not echoed', () => {
    for (const bad of ['http://cache:6379', 'redis//nohost', 'redis://:s3cret-pw@']) {
      expect(() => loadConfig({ ...base, REDIS_URL: bad })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      try {
        loadConfig({ ...base, REDIS_URL: bad });
      } catch (e) {
        expect((e as Error).message).not.toContain('s3cret');
      }
    }
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://:pw@cache.internal:6380/2' }).redisUrl).toBe('rediss://:pw@cache.internal:6380/2');
    expect(loadConfig(base).redisUrl).toBeUndefined();
  });

  test('an unreachable Redis stops the start with a clear error', async () => {
    const app = await buildApp(testConfig({ redisUrl: 'redis://127.0.0.1:9/0' }));
    await expect(app.ready()).rejects.toThrow(/REDIS_URL: Redis is not reachable/);
    await app.close().catch(() => {});
  });
});

describe.each([
  ['in memory', () => new MemoryReplayCache() as ReplayCache],
  ['in Redis', () => new RedisReplayCache(redis, `${PREFIX}jti:`) as ReplayCache],
])('replay cache %s', (_name, make) => {
  test('a key is accepted once until it expires, then again', async () => {
    const cache = make();
    const key = `iss\u0000${randomUUID()}`;
    expect(await cache.remember(key, Date.now() + 300)).toBe(true);
    expect(await cache.remember(key, Date.now() + 300)).toBe(false);
    await new Promise((r) => setTimeout(r, 350));
    expect(await cache.remember(key, Date.now() + 300)).toBe(true);
  });

  test('twenty concurrent offers of one key: exactly one wins', async () => {
    const cache = make();
    const key = `iss\u0000${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.remember(key, Date.now() + 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

test('Redis lost after start-up: signed calls get 503 (a replay could not be detected), never accepted blindly', async () => {
  const issuer = await startTestIssuer();
  const broken = new Redis('redis://127.0.0.1:9/0', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const base = 'https://pbh.example.org';
  const path = '/cds-services/pgx-benefit-order-sign';
  const app = await buildApp(
    testConfig({ publicBaseUrl: base, allowUnsigned: false, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }] }),
    { redis: broken },
  );
  try {
    await app.ready();
    const res = await app.inject({
      method: 'POST',
      url: path,
      headers: { authorization: `Bearer ${await issuer.sign({ aud: `${base}${path}` })}`, 'content-type': 'application/json' },
      payload: JSON.stringify(hookRequest('order-sign')),
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('PBH_ERR_UNAVAILABLE');
  } finally {
    await app.close();
    broken.disconnect();
    await issuer.close();
  }
});

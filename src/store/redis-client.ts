/**
 * The Redis connection for state that replicas share (JWT replay cache, rate-limit counters), used only
 * when REDIS_URL is set. Tuned for the hook path: commands fail fast while the connection is down (no
 * offline queue, a short command timeout) instead of stalling a hook call; it reconnects in the background.
 */
import Redis from 'ioredis';

export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true, // connected (and so checked) at start-up, in the app's onReady
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
}

/** Connect at start-up; an unreachable or misconfigured Redis stops the start with a clear error. */
export async function connectRedis(redis: Redis): Promise<void> {
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(`REDIS_URL: Redis is not reachable (${(e as Error)?.message ?? 'connection failed'})`);
  }
}

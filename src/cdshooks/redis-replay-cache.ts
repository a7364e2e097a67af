/**
 * The replay cache shared by every replica: one Redis key per (iss, jti), set only if absent, expiring with
 * the token (SET NX PX is atomic, so two replicas offered the same token at once cannot both accept it).
 * The key is a hash: jti values are client-chosen strings.
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { ReplayCache } from './replay-cache';

export class RedisReplayCache implements ReplayCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async remember(key: string, expiresAtMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtMs - Date.now()));
    const id = createHash('sha256').update(key).digest('base64url');
    const set = await this.redis.set(`${this.prefix}${id}`, '1', 'PX', ttl, 'NX');
    return set === 'OK';
  }
}

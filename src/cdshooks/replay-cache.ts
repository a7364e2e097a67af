/**
 * Remembers (iss, jti) pairs until the token expires, to reject replays. One small interface, two
 * implementations chosen by configuration: this in-memory map (one replica) and a Redis store shared by
 * every replica (src/cdshooks/redis-replay-cache.ts, when REDIS_URL is set).
 */
export interface ReplayCache {
  /**
   * record the key atomically; false if it was already present and not yet expired (a replay). A shared
   * store answers asynchronously and rejects when it cannot answer (the caller then accepts nothing).
   */
  remember(key: string, expiresAtMs: number): boolean | Promise<boolean>;
}

export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 100_000) {}

  remember(key: string, expiresAtMs: number, now = Date.now()): boolean {
    const prev = this.seen.get(key);
    if (prev !== undefined && prev > now) return false;
    if (this.seen.size >= this.maxEntries) this.sweep(now);
    // still full of live entries: refuse rather than forget (forgetting would allow replays)
    if (this.seen.size >= this.maxEntries) return false;
    this.seen.set(key, expiresAtMs);
    return true;
  }

  private sweep(now: number): void {
    for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
  }
}

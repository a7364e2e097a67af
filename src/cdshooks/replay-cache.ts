/**
 * Remembers (iss, jti) pairs until the token expires, to reject replays. Small interface so a shared
 * store (several replicas) can replace the in-memory map.
 */
export interface ReplayCache {
  /** record the key; returns false if it was already present and not yet expired (a replay) */
  remember(key: string, expiresAtMs: number): boolean;
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

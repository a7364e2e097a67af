import type { AuditRecord } from './types';

/**
 * Bounded FIFO of audit records waiting to be written. When the database is unreachable for long, the
 * oldest records are dropped (and counted) rather than letting memory grow without limit: the newest
 * records are the ones an investigation of a current problem needs.
 */
export class AuditQueue {
  private items: AuditRecord[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** @returns how many old records were dropped to make room (0 or 1) */
  push(record: AuditRecord): number {
    this.items.push(record);
    if (this.length > this.capacity) {
      this.head++;
      this.compact();
      return 1;
    }
    return 0;
  }

  /** take up to n records from the head */
  take(n: number): AuditRecord[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    this.compact();
    return out;
  }

  /** put records that could not be written back at the head; @returns how many were dropped */
  requeue(records: AuditRecord[]): number {
    this.items = [...records, ...this.items.slice(this.head)];
    this.head = 0;
    const over = this.length - this.capacity;
    if (over > 0) {
      this.head = over;
      this.compact();
      return over;
    }
    return 0;
  }

  find(predicate: (r: AuditRecord) => boolean): AuditRecord | undefined {
    for (let i = this.items.length - 1; i >= this.head; i--) if (predicate(this.items[i])) return this.items[i];
    return undefined;
  }

  /** avoid O(n) shift per record: drop the consumed prefix only once it is large */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

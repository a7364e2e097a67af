import type { JournalSegment } from './audit-journal';
import type { AuditRecord } from './types';

/**
 * A record waiting to be written, held compactly: its JSON text (made once, at enqueue, and sent to the
 * database as is) plus the few fields the queue is searched by (feedback may arrive before the write).
 * The rest of the record's object graph (e.g. ~40 `resourcesUsed` objects per order-sign call) is not
 * kept alive while it waits.
 */
export interface QueuedAudit {
  id: string;
  kind: AuditRecord['kind'];
  serviceId: string;
  decisions: AuditRecord['decisions'];
  /** the record's storable JSON text (storable-json.ts) */
  json: string;
  /** the journal segment that holds it until it is stored (durable audit) */
  segment?: JournalSegment;
}

/**
 * Bounded FIFO of audit records waiting to be written. When the database is unreachable for long, the
 * oldest records are dropped (and counted) rather than letting memory grow without limit: the newest
 * records are the ones an investigation of a current problem needs. Two bounds, whichever is hit first:
 * a number of records and the bytes of their JSON text (records differ in size by the number of
 * resources and cards they carry, so a count alone does not bound memory).
 */
export class AuditQueue {
  private items: QueuedAudit[] = [];
  private head = 0;
  private bytesQueued = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** JSON text held (UTF-16 code units ≈ bytes for the ASCII a record mostly is) */
  get bytes(): number {
    return this.bytesQueued;
  }

  /** @returns how many old records were dropped to make room */
  push(record: QueuedAudit): number {
    this.items.push(record);
    this.bytesQueued += record.json.length;
    return this.enforce();
  }

  /** take up to n records, and at most about maxBytes of JSON (always at least one), from the head */
  take(n: number, maxBytes = Number.POSITIVE_INFINITY): QueuedAudit[] {
    let end = this.head;
    let bytes = 0;
    while (end < this.items.length && end - this.head < n) {
      const size = this.items[end].json.length;
      if (end > this.head && bytes + size > maxBytes) break;
      bytes += size;
      end++;
    }
    const out = this.items.slice(this.head, end);
    this.head = end;
    this.bytesQueued -= bytes;
    this.compact();
    return out;
  }

  /** put records that could not be written back at the head; @returns how many were dropped */
  requeue(records: QueuedAudit[]): number {
    this.items = [...records, ...this.items.slice(this.head)];
    this.head = 0;
    for (const r of records) this.bytesQueued += r.json.length;
    return this.enforce();
  }

  find(predicate: (r: QueuedAudit) => boolean): QueuedAudit | undefined {
    for (let i = this.items.length - 1; i >= this.head; i--) if (predicate(this.items[i])) return this.items[i];
    return undefined;
  }

  /** drop the oldest records while over either bound (the newest record is always kept) */
  private enforce(): number {
    let dropped = 0;
    while (this.length > 1 && (this.length > this.capacity || this.bytesQueued > this.maxBytes)) {
      this.bytesQueued -= this.items[this.head].json.length;
      this.head++;
      dropped++;
    }
    if (dropped) this.compact();
    return dropped;
  }

  /** avoid O(n) shift per record: drop the consumed prefix when empty or once it is most of the array */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 256 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** An in-memory Store for protocol tests (the real PGlite/PostgreSQL stores live in src/store). */
import type { DecisionSummary } from '../../src/decision/types';
import type { AuditRecord, FeedbackRecord, Store } from '../../src/store/types';

export class MemoryStore implements Store {
  readonly audits: AuditRecord[] = [];
  readonly feedback: FeedbackRecord[] = [];
  healthy = true;
  closed = false;

  async init(): Promise<void> {}

  enqueueAudit(record: AuditRecord): void {
    this.audits.push(record);
  }

  async findIssuedCard(serviceId: string, cardUuid: string): Promise<DecisionSummary | undefined> {
    for (const a of this.audits) {
      if (a.serviceId !== serviceId) continue;
      const d = a.decisions.find((x) => x.cardUuid === cardUuid);
      if (d) return d;
    }
    return undefined;
  }

  async saveFeedback(f: FeedbackRecord): Promise<{ duplicate: boolean }> {
    const dup = this.feedback.some(
      (x) => x.serviceId === f.serviceId && x.cardUuid === f.cardUuid && x.outcomeTimestamp === f.outcomeTimestamp && x.outcome === f.outcome,
    );
    if (!dup) this.feedback.push(f);
    return { duplicate: dup };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  async health(): Promise<{ ok: boolean; queueDepth: number }> {
    return { ok: this.healthy, queueDepth: 0 };
  }
}

import type { DecisionSummary } from '../decision/types';
import type { Metrics } from '../metrics/registry';
import { AuditJournal } from './audit-journal';
import { AuditQueue, type QueuedAudit } from './audit-queue';
import { describeError, errorCode, isDataError } from './sql-errors';
import { storableJson } from './storable-json';
import type { Queryable, SqlClient } from './sql-client';
import type { AuditRecord, StoreLogger } from './types';

export interface AuditWriterOptions {
  log?: StoreLogger;
  metrics?: Metrics;
  /** write queued records at least this often (ms), once started */
  flushIntervalMs?: number;
  /** ... or as soon as this many are queued; also the most records written in one transaction */
  batchSize?: number;
  /** queue bound while the database is unavailable; beyond it the oldest records are dropped */
  queueCapacity?: number;
  /** ... and a bound on the queued records' JSON text (bytes); whichever is reached first */
  queueMaxBytes?: number;
  /** retry back-off after a failed write: doubles up to this (ms) */
  maxRetryDelayMs?: number;
  /** queue only until start(): the database is still being prepared (drain() writes regardless) */
  held?: boolean;
}

/** defaults of the writer's timing, which the store's start-up retries follow too */
export const DEFAULT_FLUSH_INTERVAL_MS = 75;
export const DEFAULT_MAX_RETRY_DELAY_MS = 5000;
const RESOLVED: Promise<void> = Promise.resolve();
/** default bound of the queue's JSON text: ~13 000 order-sign records of ~5 kB (the bench patient's) */
const DEFAULT_QUEUE_MAX_BYTES = 64 * 1024 * 1024;
/**
 * JSON text per INSERT statement. The embedded database parses the statement's whole parameter at once,
 * and WASM memory never shrinks: its peak is what the process keeps. 256 kB (~50 records) costs ~4 MB
 * of WASM heap; 250 records at once cost ~13 MB, 1000 ~50 MB (measured), for ~5 % less CPU per record.
 */
const STATEMENT_MAX_BYTES = 256 * 1024;

/**
 * The write-behind side of the store: audit records go into a bounded in-memory queue (after the
 * journal, when there is one) and are written in batches by a background timer, so the hook response
 * never waits for the database. Outages are retried with back-off; a record the database refuses as
 * data goes to the dead-letter table so it cannot block the records behind it.
 */
export class AuditWriter {
  private readonly queue: AuditQueue;
  private inflight: QueuedAudit[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private held: boolean;
  private stopped = false;
  private retryAt = 0;
  private retryDelay: number;
  private lastWriteError: string | undefined;
  private droppedSinceLog = 0;
  private journal: AuditJournal | undefined;
  private lastJournalError: string | undefined;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxRetryDelayMs: number;

  constructor(
    private readonly db: SqlClient,
    private readonly opts: AuditWriterOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.batchSize = opts.batchSize ?? 250;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
    this.retryDelay = this.flushIntervalMs;
    this.held = opts.held ?? false;
    this.queue = new AuditQueue(opts.queueCapacity ?? 50_000, opts.queueMaxBytes ?? DEFAULT_QUEUE_MAX_BYTES);
  }

  /** records queued or being written */
  get depth(): number {
    return this.queue.length + this.inflight.length;
  }

  /** the last write failed (an outage being retried): why */
  get writeError(): string | undefined {
    return this.lastWriteError;
  }

  /** the last journal append failed (records kept in memory only): why */
  get journalError(): string | undefined {
    return this.lastJournalError;
  }

  /** queued records are safe on disk (replayed by the next process) */
  get journaled(): boolean {
    return !!this.journal;
  }

  /** take the journal directory and queue what an earlier process journaled but did not store */
  openJournal(dir: string): void {
    if (this.journal) return;
    const { journal, replay } = AuditJournal.open(dir);
    this.journal = journal;
    let queued = 0;
    for (const { json, segment } of replay.records) {
      const r = JSON.parse(json) as Partial<AuditRecord>;
      if (typeof r.id !== 'string' || (r.kind !== 'hook' && r.kind !== 'feedback') || typeof r.serviceId !== 'string') {
        journal.release(segment); // not a record of ours: nothing to store
        replay.skipped += 1;
        continue;
      }
      const decisions = Array.isArray(r.decisions) ? r.decisions : [];
      this.noteDropped(this.queue.push({ id: r.id, kind: r.kind, serviceId: r.serviceId, decisions, json, segment }));
      queued += 1;
    }
    if (queued || replay.skipped) {
      this.opts.log?.info({ replayed: queued, skipped: replay.skipped }, 'audit journal replayed: records of an earlier run queued for the store');
    }
    this.opts.metrics?.setAuditQueueDepth(this.depth);
  }

  /** the database is ready: write on the timer from now on */
  start(): void {
    if (this.stopped || this.timer) return;
    this.held = false;
    this.timer = setInterval(() => this.writeSoon(), this.flushIntervalMs);
    this.timer.unref();
  }

  enqueue(record: AuditRecord): Promise<void> {
    if (this.stopped) {
      this.opts.log?.error('audit record enqueued after close: not stored');
      this.noteDropped(1);
      return RESOLVED;
    }
    const checked = serialise(record);
    if (typeof checked !== 'string') {
      // refuse it now: a record the database rejects would block every batch behind it
      this.opts.log?.error({ problem: checked.problem }, 'invalid audit record: not stored');
      this.noteDropped(1);
      return RESOLVED;
    }
    const { id, kind, serviceId, decisions } = record;
    const item: QueuedAudit = { id, kind, serviceId, decisions, json: checked };
    if (!this.journal) {
      this.push(item);
      return RESOLVED;
    }
    // queued once on disk, so the database never holds a record the journal may still be writing
    return this.journal.append(checked).then(
      (segment) => {
        item.segment = segment;
        if (this.lastJournalError) this.opts.log?.info('audit journal writes recovered');
        this.lastJournalError = undefined;
        this.push(item);
      },
      (err: unknown) => {
        // the answer still goes out (a clinical answer outweighs its audit's durability): the record is
        // kept in memory like a service without a journal, and readiness says the journal is failing
        this.lastJournalError = describeError(err);
        this.opts.log?.error({ err: this.lastJournalError }, 'audit journal write failed; record kept in memory only');
        this.push(item);
      },
    );
  }

  /** a card of a hook record not written yet (feedback may arrive before the write) */
  findQueuedCard(serviceId: string, cardUuid: string): DecisionSummary | undefined {
    const carries = (r: QueuedAudit) =>
      r.kind === 'hook' && r.serviceId === serviceId && r.decisions.some((d) => d.cardUuid === cardUuid);
    const queued = this.queue.find(carries) ?? [...this.inflight].reverse().find(carries);
    return queued?.decisions.find((d) => d.cardUuid === cardUuid);
  }

  /** timer: write if due; errors are kept for writeError and retried with back-off */
  writeSoon(): void {
    if (this.held || this.writing || this.queue.length === 0 || Date.now() < this.retryAt) return;
    this.writeBatches().catch(() => undefined);
  }

  /** write everything queued now; rejects with the write's error if the database fails */
  async drain(): Promise<void> {
    // wait out a write in progress (its failure is reported by the loop below), then drain
    await this.writing?.catch(() => undefined);
    while (this.queue.length > 0) await this.writeBatches();
  }

  /** no more records accepted, no more timed writes (drain() still writes) */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** after the database is closed: records not stored stay in the journal, replayed at the next start */
  async closeJournal(): Promise<void> {
    const kept = await this.journal?.close();
    if (kept?.kept) this.opts.log?.error({ kept: kept.kept }, 'audit journal keeps records not yet stored; replayed at the next start');
  }

  private push(item: QueuedAudit): void {
    this.noteDropped(this.queue.push(item));
    this.opts.metrics?.setAuditQueueDepth(this.depth);
    if (this.queue.length >= this.batchSize) setImmediate(() => this.writeSoon());
  }

  /** the records are in the database (or its dead-letter table): their journal lines may go */
  private stored(records: QueuedAudit[]): void {
    if (!this.journal) return;
    for (const r of records) {
      if (r.segment) this.journal.release(r.segment);
      r.segment = undefined;
    }
  }

  private noteDropped(n: number): void {
    if (n <= 0) return;
    this.opts.metrics?.auditDropped(n);
    this.droppedSinceLog += n;
  }

  /** one writer at a time; drains the queue batch by batch */
  private writeBatches(): Promise<void> {
    if (!this.writing) {
      this.writing = (async () => {
        try {
          while (this.queue.length > 0) await this.writeOne();
        } finally {
          this.writing = undefined;
        }
      })();
    }
    return this.writing;
  }

  private async writeOne(): Promise<void> {
    this.inflight = this.queue.take(this.batchSize);
    const batch = this.inflight;
    try {
      try {
        await this.db.transaction((tx) => insertAudit(tx, batch));
        this.stored(batch);
      } catch (err) {
        // the database answered, but refused the data: find the record(s) at fault, write the rest
        if (!isDataError(err)) throw err;
        await this.writeRecordByRecord(batch);
      }
      this.inflight = [];
      if (this.lastWriteError) this.opts.log?.info('audit writes recovered');
      this.lastWriteError = undefined;
      this.retryDelay = this.flushIntervalMs;
      this.retryAt = 0;
    } catch (err) {
      // an outage (or a failure we cannot pin on one record): keep what is left and retry with back-off
      const left = this.inflight;
      this.inflight = [];
      this.noteDropped(this.queue.requeue(left));
      this.lastWriteError = describeError(err);
      this.opts.metrics?.auditWriteError();
      this.retryAt = Date.now() + this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, this.maxRetryDelayMs);
      this.opts.log?.error(
        { err: this.lastWriteError, queueDepth: this.depth, dropped: this.droppedSinceLog },
        'audit write failed; records kept in memory and retried',
      );
      throw err;
    } finally {
      if (this.droppedSinceLog > 0) {
        this.opts.log?.error({ dropped: this.droppedSinceLog }, 'audit queue full: oldest records dropped');
        this.droppedSinceLog = 0;
      }
      this.opts.metrics?.setAuditQueueDepth(this.depth);
    }
  }

  /**
   * A batch the database refused as data: each record on its own, so one bad record costs only itself.
   * A record refused on its own with a data error goes to the dead-letter table with the error; any other
   * failure is an outage and is thrown with the records not yet written left in `inflight`.
   */
  private async writeRecordByRecord(batch: QueuedAudit[]): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i];
      try {
        await this.db.transaction((tx) => insertAudit(tx, [record]));
      } catch (err) {
        if (!isDataError(err)) {
          this.inflight = batch.slice(i);
          throw err;
        }
        try {
          await this.db.query('INSERT INTO audit_dead_letter (audit_id, error, record) VALUES ($1, $2, $3)', [
            JSON.stringify(record.id).slice(1, -1), // storable text whatever the id holds
            describeError(err),
            record.json,
          ]);
        } catch (dlqErr) {
          this.inflight = batch.slice(i);
          throw dlqErr;
        }
        this.opts.metrics?.auditDeadLettered(1);
        // the error's code only: its message may quote the value that failed
        this.opts.log?.error({ auditId: record.id, code: errorCode(err) }, 'audit record refused by the database: kept in audit_dead_letter');
      }
      this.stored([record]);
    }
  }
}

/**
 * The record's JSON text, or why the database would refuse it (so one bad record cannot poison a batch).
 * Serialised once, here: the text is what the queue holds and what the INSERT sends.
 */
function serialise(r: AuditRecord): string | { problem: string } {
  if (!r || typeof r.id !== 'string' || !r.id) return { problem: 'id' };
  if (r.kind !== 'hook' && r.kind !== 'feedback') return { problem: 'kind' };
  if (typeof r.serviceId !== 'string') return { problem: 'serviceId' };
  if (typeof r.time !== 'string' || Number.isNaN(Date.parse(r.time))) return { problem: 'time' };
  if (!Array.isArray(r.decisions) || r.decisions.some((d) => !d || typeof d.cardUuid !== 'string' || typeof d.cardKind !== 'string')) {
    return { problem: 'decisions' };
  }
  try {
    // NUL and lone surrogates (from outside data) escaped reversibly: see storable-json.ts
    return storableJson(r);
  } catch {
    return { problem: 'not serialisable' };
  }
}

/**
 * One statement per chunk of ≤ STATEMENT_MAX_BYTES of JSON, with a single parameter: the records' JSON
 * array. The database splits it (`jsonb_array_elements`), fills `audit_record` and, through the
 * data-modifying CTE, `issued_card` (one row per card of a hook record) in the same statement, so a record
 * costs neither a statement nor 7 + 14 × cards bound parameters of its own. The `record` column is the
 * parsed element itself: the JSON the record serialised to, as before. `ON CONFLICT DO NOTHING` keeps a
 * retried batch, and cards repeated within one statement (a repeated hook call), harmless. The foreign key
 * of `issued_card` is checked at the end of the statement, when the CTE's rows exist.
 * (Measured on the embedded store, 4.7 kB records with 2 cards, same compiler: ~10–25 % less of its
 * thread's CPU per record than one multi-row VALUES statement per table; docs/store.md.)
 */
const INSERT_AUDIT = `
WITH src AS (SELECT r FROM jsonb_array_elements($1::jsonb) AS r),
  audit AS (
    INSERT INTO audit_record (id, recorded_at, kind, service_id, patient_pseudonym, outcome, record)
    SELECT r->>'id', (r->>'time')::timestamptz, r->>'kind', r->>'serviceId', r->>'patientPseudonym', r->>'outcome', r
      FROM src
    ON CONFLICT (id) DO NOTHING)
INSERT INTO issued_card (service_id, card_uuid, audit_id, issued_at, card_kind, pair, plan_rule_id, step_therapy,
                         pa_pathway, race, ethnicity, sex, age_band, summary)
SELECT r->>'serviceId', d->>'cardUuid', r->>'id', (r->>'time')::timestamptz, d->>'cardKind', d->>'pair',
       d->>'planRuleId', d->>'stepTherapy', d->>'paPathway',
       coalesce(r#>>'{demographics,race}', 'unknown'), coalesce(r#>>'{demographics,ethnicity}', 'unknown'),
       coalesce(r#>>'{demographics,sex}', 'unknown'), coalesce(r#>>'{demographics,ageBand}', 'unknown'), d
  FROM src CROSS JOIN LATERAL jsonb_array_elements(r->'decisions') AS d
 WHERE r->>'kind' = 'hook'
ON CONFLICT (service_id, card_uuid) DO NOTHING`;

async function insertAudit(tx: Queryable, batch: QueuedAudit[]): Promise<void> {
  for (let i = 0; i < batch.length; ) {
    const parts: string[] = [];
    let bytes = 0;
    while (i < batch.length && (parts.length === 0 || bytes + batch[i].json.length <= STATEMENT_MAX_BYTES)) {
      bytes += batch[i].json.length + 1;
      parts.push(batch[i++].json);
    }
    await tx.query(INSERT_AUDIT, [`[${parts.join(',')}]`]);
  }
}

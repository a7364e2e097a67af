import type { FastifyBaseLogger } from 'fastify';
import type { DecisionSummary } from '../decision/types';
import type { Metrics } from '../metrics/registry';
import { AuditJournal } from './audit-journal';
import { AuditQueue, type QueuedAudit } from './audit-queue';
import { migrate } from './migrate';
import { restoreStrings, storableJson, storableText } from './storable-json';
import type { Queryable, SqlClient } from './sql-client';
import type {
  AdminStore,
  AuditQuery,
  AuditRecord,
  CardOutcomeRow,
  FeedbackRecord,
} from './types';

/** The subset of a pino / Fastify logger we use (both fit). */
export type StoreLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface SqlStoreOptions {
  log?: StoreLogger;
  metrics?: Metrics;
  /** write queued records at least this often (ms) */
  flushIntervalMs?: number;
  /** ... or as soon as this many are queued; also the most records written in one transaction */
  batchSize?: number;
  /** queue bound while the database is unavailable; beyond it the oldest records are dropped */
  queueCapacity?: number;
  /** ... and a bound on the queued records' JSON text (bytes); whichever is reached first */
  queueMaxBytes?: number;
  /** close(): how long to wait for a still-initialising store without a journal (ms); default: as long as it takes */
  closeWaitMs?: number;
  /** retry back-off after a failed write: doubles up to this (ms) */
  maxRetryDelayMs?: number;
  /** audit retention; a purge runs at init and daily. undefined: never purge */
  retentionDays?: number;
  /**
   * init() returns at once and the database is prepared in the background (retried with back-off until
   * it works): hooks are answered meanwhile, their audit records wait in the queue, and every other
   * store call waits for `ready()`. health() says "initialising" until then. Default false: init()
   * resolves when the store is ready and rejects when it cannot be.
   */
  background?: boolean;
  /**
   * Durable audit: a write-ahead journal in this local directory (one process per directory). Each record
   * is appended and fsynced there before enqueueAudit's promise resolves, and replayed by init(). Unset:
   * records live in memory until written (lost on SIGKILL).
   */
  journalDir?: string;
}

const DAY_MS = 86_400_000;
const RESOLVED: Promise<void> = Promise.resolve();
/** most records one searchAudit returns (the admin route pages by ≤ 1000) */
const MAX_SEARCH_LIMIT = 100_000;
/** default bound of the queue's JSON text: ~13 000 order-sign records of ~5 kB (the bench patient's) */
const DEFAULT_QUEUE_MAX_BYTES = 64 * 1024 * 1024;
/**
 * JSON text per INSERT statement. The embedded database parses the statement's whole parameter at once,
 * and WASM memory never shrinks: its peak is what the process keeps. 256 kB (~50 records) costs ~4 MB
 * of WASM heap; 250 records at once cost ~13 MB, 1000 ~50 MB (measured), for ~5 % less CPU per record.
 */
const STATEMENT_MAX_BYTES = 256 * 1024;

/** safe for logs: error class/code, never a statement parameter */
const describe = (err: unknown): string => {
  // duck-typed: errors from Node's core (sockets) may come from another realm than `Error` here
  if (!err || typeof err !== 'object') return 'unknown error';
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  return `${code}: ${typeof e.message === 'string' ? e.message.slice(0, 200) : ''}`;
};

/**
 * The store over any SqlClient (PGlite or PostgreSQL). Audit records go into a bounded in-memory queue
 * and are written in batches by a background timer, so the hook response never waits for the database.
 */
export class SqlStore implements AdminStore {
  private readonly queue: AuditQueue;
  private inflight: QueuedAudit[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private retryDelay: number;
  private lastWriteError: string | undefined;
  private droppedSinceLog = 0;
  private closed = false;
  /** set by init(): resolves once migrations (and the first purge) are done */
  private initialised: Promise<void> | undefined;
  private isReady = false;
  private initError: string | undefined;
  private journal: AuditJournal | undefined;
  private journalError: string | undefined;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxRetryDelayMs: number;
  private readonly closeWaitMs: number;

  constructor(
    private readonly db: SqlClient,
    private readonly opts: SqlStoreOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 75;
    this.batchSize = opts.batchSize ?? 250;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 5000;
    this.closeWaitMs = opts.closeWaitMs ?? Number.POSITIVE_INFINITY;
    this.retryDelay = this.flushIntervalMs;
    this.queue = new AuditQueue(opts.queueCapacity ?? 50_000, opts.queueMaxBytes ?? DEFAULT_QUEUE_MAX_BYTES);
  }

  get dialect(): SqlClient['dialect'] {
    return this.db.dialect;
  }

  async init(): Promise<void> {
    if (this.opts.journalDir && !this.journal && !this.initialised) this.openJournal(this.opts.journalDir);
    this.initialised ??= this.opts.background ? this.startUpWithRetry() : this.startUp();
    if (this.opts.background) this.initialised.catch(() => undefined);
    else await this.initialised;
  }

  /** resolves when the store is usable (at once if init() was never called: the caller owns the schema) */
  ready(): Promise<void> {
    // foreground init() reported its own failure to its caller; later calls just try the database
    if (this.isReady || !this.initialised || !this.opts.background) return Promise.resolve();
    // background start failing: say so now rather than keep a feedback call waiting indefinitely
    if (this.initError) return Promise.reject(new Error(`store unavailable (${this.initError})`));
    return this.initialised;
  }

  /** take the journal directory and queue what an earlier process journaled but did not store */
  private openJournal(dir: string): void {
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
    this.opts.metrics?.setAuditQueueDepth(this.depth());
  }

  private async startUp(): Promise<void> {
    const applied = await migrate(this.db);
    if (applied.length) this.opts.log?.info({ migrations: applied }, 'store migrations applied');
    this.isReady = true;
    this.initError = undefined;
    if (this.closed) return; // closed while starting: close() drains the queue itself
    this.timer = setInterval(() => this.tick(), this.flushIntervalMs);
    this.timer.unref();
    if (this.opts.retentionDays !== undefined) {
      const purge = () =>
        this.purgeBefore(new Date(Date.now() - this.opts.retentionDays! * DAY_MS).toISOString()).catch((err) =>
          this.opts.log?.error({ err: describe(err) }, 'audit retention purge failed'),
        );
      await purge();
      this.purgeTimer = setInterval(purge, DAY_MS);
      this.purgeTimer.unref();
    }
    if (this.queue.length > 0) this.tick(); // records queued while initialising
  }

  private async startUpWithRetry(): Promise<void> {
    let delay = this.flushIntervalMs;
    for (;;) {
      try {
        await this.startUp();
        return;
      } catch (err) {
        this.initError = describe(err);
        if (this.closed) throw err; // closed meanwhile: nothing to retry for
        this.opts.log?.error({ err: this.initError, queueDepth: this.depth() }, 'store start-up failed; audit records kept in memory, retrying');
        if (this.closed) throw err;
        await new Promise((r) => setTimeout(r, delay).unref());
        if (this.closed) throw err;
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }

  enqueueAudit(record: AuditRecord): Promise<void> {
    if (this.closed) {
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
        if (this.journalError) this.opts.log?.info('audit journal writes recovered');
        this.journalError = undefined;
        this.push(item);
      },
      (err: unknown) => {
        // the answer still goes out (a clinical answer outweighs its audit's durability): the record is
        // kept in memory like a service without a journal, and readiness says the journal is failing
        this.journalError = describe(err);
        this.opts.log?.error({ err: this.journalError }, 'audit journal write failed; record kept in memory only');
        this.push(item);
      },
    );
  }

  private push(item: QueuedAudit): void {
    this.noteDropped(this.queue.push(item));
    this.opts.metrics?.setAuditQueueDepth(this.depth());
    if (this.queue.length >= this.batchSize) setImmediate(() => this.tick());
  }

  /** the records are in the database (or its dead-letter table): their journal lines may go */
  private stored(records: QueuedAudit[]): void {
    if (!this.journal) return;
    for (const r of records) {
      if (r.segment) this.journal.release(r.segment);
      r.segment = undefined;
    }
  }

  private depth(): number {
    return this.queue.length + this.inflight.length;
  }

  private noteDropped(n: number): void {
    if (n <= 0) return;
    this.opts.metrics?.auditDropped(n);
    this.droppedSinceLog += n;
  }

  /** timer: write if due; errors are kept for health() and retried with back-off */
  private tick(): void {
    if ((this.opts.background && !this.isReady) || this.writing || this.queue.length === 0 || Date.now() < this.retryAt) return;
    this.writeBatches().catch(() => undefined);
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
      this.lastWriteError = describe(err);
      this.opts.metrics?.auditWriteError();
      this.retryAt = Date.now() + this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, this.maxRetryDelayMs);
      this.opts.log?.error(
        { err: this.lastWriteError, queueDepth: this.depth(), dropped: this.droppedSinceLog },
        'audit write failed; records kept in memory and retried',
      );
      throw err;
    } finally {
      if (this.droppedSinceLog > 0) {
        this.opts.log?.error({ dropped: this.droppedSinceLog }, 'audit queue full: oldest records dropped');
        this.droppedSinceLog = 0;
      }
      this.opts.metrics?.setAuditQueueDepth(this.depth());
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
            describe(err),
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

  async flush(): Promise<void> {
    await this.ready();
    // wait out a write in progress (its failure is reported by the loop below), then drain
    await this.writing?.catch(() => undefined);
    while (this.queue.length > 0) await this.writeBatches();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.purgeTimer);
    try {
      // still initialising (initdb can take minutes on a busy machine): with a journal the queued records
      // are safe on disk and replayed at the next start, so a stop does not wait for the database
      if (this.opts.background && !this.isReady && (this.journal || this.db.ephemeral)) {
        this.opts.log?.info(
          { queued: this.depth() },
          this.journal ? 'store closed while initialising: queued audit records stay in the journal' : 'throw-away store closed while initialising',
        );
      } else if (this.opts.background && !this.isReady) {
        // no journal: wait for the store to come up and write, but not past the shutdown's grace period
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<'timeout'>((r) => {
          if (Number.isFinite(this.closeWaitMs)) timer = setTimeout(() => r('timeout'), this.closeWaitMs);
        });
        const outcome = await Promise.race([this.flush().then(() => 'done' as const), gaveUp]).finally(() => clearTimeout(timer));
        if (outcome === 'timeout') throw new Error(`store still initialising after ${this.closeWaitMs} ms`);
      } else await this.flush();
    } catch (err) {
      this.opts.log?.error(
        { err: describe(err), lost: this.depth() },
        'store closing with audit records that could not be written',
      );
    } finally {
      try {
        await this.db.close();
      } finally {
        // records not stored stay in the journal and are replayed at the next start
        const kept = await this.journal?.close();
        if (kept?.kept) this.opts.log?.error({ kept: kept.kept }, 'audit journal keeps records not yet stored; replayed at the next start');
      }
    }
  }

  async health(): Promise<{ ok: boolean; queueDepth: number; detail?: string }> {
    const queueDepth = this.depth();
    if (this.closed) return { ok: false, queueDepth, detail: 'closed' };
    // hooks are answered and audited (queued) meanwhile: serviceable, but say why the queue grows
    if (this.opts.background && this.initialised && !this.isReady) {
      return this.initError
        ? { ok: false, queueDepth, detail: `store start-up failing (${this.initError})` }
        : { ok: true, queueDepth, detail: 'initialising' };
    }
    try {
      await this.db.query('SELECT 1');
    } catch (err) {
      return { ok: false, queueDepth, detail: `database unavailable (${describe(err)})` };
    }
    if (this.lastWriteError) return { ok: false, queueDepth, detail: `audit writes failing (${this.lastWriteError})` };
    if (this.journalError) return { ok: false, queueDepth, detail: `audit journal failing (${this.journalError})` };
    return { ok: true, queueDepth };
  }

  async findIssuedCard(serviceId: string, cardUuid: string): Promise<DecisionSummary | undefined> {
    const carries = (r: QueuedAudit) =>
      r.kind === 'hook' && r.serviceId === serviceId && r.decisions.some((d) => d.cardUuid === cardUuid);
    const queued = this.queue.find(carries) ?? [...this.inflight].reverse().find(carries);
    if (queued) return queued.decisions.find((d) => d.cardUuid === cardUuid);
    await this.ready();
    const rows = await this.db.query<{ summary: DecisionSummary }>(
      'SELECT summary FROM issued_card WHERE service_id = $1 AND card_uuid = $2',
      [serviceId, cardUuid],
    );
    return rows[0]?.summary;
  }

  async saveFeedback(f: FeedbackRecord): Promise<{ duplicate: boolean }> {
    await this.ready();
    const rows = await this.db.query(
      `INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, received_at, accepted_suggestions,
                             override_system, override_code, override_display, has_comment)
       VALUES ($1, $2, $3, $4, now(), $5::jsonb, $6, $7, $8, $9)
       ON CONFLICT (service_id, card_uuid, outcome_timestamp, outcome) DO NOTHING
       RETURNING id`,
      [
        f.serviceId,
        f.cardUuid,
        f.outcome,
        f.outcomeTimestamp,
        JSON.stringify(f.acceptedSuggestions ?? []),
        // free text from the EHR: NUL or a lone surrogate would fail the INSERT (storable-json.ts)
        storableText(f.overrideReason?.system ?? null),
        storableText(f.overrideReason?.code ?? null),
        storableText(f.overrideReason?.display ?? null),
        !!f.overrideReason?.comment,
      ],
    );
    return { duplicate: rows.length === 0 };
  }

  async searchAudit(q: AuditQuery): Promise<AuditRecord[]> {
    await this.ready();
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (q.since) add('recorded_at >= ?', q.since);
    if (q.until) add('recorded_at < ?', q.until);
    if (q.patientPseudonym) add('patient_pseudonym = ?', q.patientPseudonym);
    if (q.serviceId) add('service_id = ?', q.serviceId);
    if (q.after) {
      params.push(q.after.time, q.after.id);
      const [t, id] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(`(recorded_at < ${t}::timestamptz OR (recorded_at = ${t}::timestamptz AND id > ${id}))`);
    }
    params.push(Math.min(Math.max(q.limit ?? 100, 1), MAX_SEARCH_LIMIT));
    const rows = await this.db.query<{ record: AuditRecord }>(
      `SELECT record FROM audit_record ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY recorded_at DESC, id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => restoreStrings(r.record));
  }

  async cardOutcomes(since: string, until: string): Promise<CardOutcomeRow[]> {
    await this.ready();
    const rows = await this.db.query<Record<string, string | null>>(
      `SELECT c.card_kind, c.pair, c.plan_rule_id, c.step_therapy, c.pa_pathway,
              c.race, c.ethnicity, c.sex, c.age_band, f.outcome, f.override_code, f.override_display,
              to_char(c.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS issued_at,
              a.patient_pseudonym, a.record->>'planVersion' AS plan_version,
              c.summary->>'drug' AS drug, c.summary->>'gene' AS gene, c.summary->>'pgxVerdict' AS pgx_verdict
         FROM issued_card c
         JOIN audit_record a ON a.id = c.audit_id
         LEFT JOIN LATERAL (
           SELECT outcome, override_code, override_display FROM feedback f
            WHERE f.service_id = c.service_id AND f.card_uuid = c.card_uuid
            ORDER BY f.outcome_timestamp DESC, f.id DESC LIMIT 1) f ON true
        WHERE c.issued_at >= $1 AND c.issued_at < $2`,
      [since, until],
    );
    const opt = (v: string | null) => v ?? undefined;
    return rows.map((r) => ({
      cardKind: r.card_kind!,
      issuedAt: opt(r.issued_at),
      patientPseudonym: opt(r.patient_pseudonym),
      planVersion: opt(r.plan_version),
      drug: opt(r.drug),
      gene: opt(r.gene),
      pgxVerdict: opt(r.pgx_verdict),
      pair: opt(r.pair),
      planRuleId: opt(r.plan_rule_id),
      stepTherapy: opt(r.step_therapy),
      paPathway: opt(r.pa_pathway),
      demographics: { race: r.race!, ethnicity: r.ethnicity!, sex: r.sex!, ageBand: r.age_band! },
      outcome: opt(r.outcome) as CardOutcomeRow['outcome'],
      overrideCode: opt(r.override_code),
      overrideDisplay: opt(r.override_display),
    }));
  }

  async purgeBefore(cutoff: string): Promise<{ auditRecords: number; feedback: number }> {
    await this.ready();
    return this.db.transaction(async (tx) => {
      // issued_card rows go with their audit record (ON DELETE CASCADE)
      const a = await tx.query('DELETE FROM audit_record WHERE recorded_at < $1 RETURNING 1', [cutoff]);
      const f = await tx.query('DELETE FROM feedback WHERE received_at < $1 RETURNING 1', [cutoff]);
      await tx.query('DELETE FROM audit_dead_letter WHERE failed_at < $1', [cutoff]);
      return { auditRecords: a.length, feedback: f.length };
    });
  }
}

const errorCode = (err: unknown): string | undefined => {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/**
 * SQLSTATE classes that blame the data, not the database: 22 data exception (bad text, time, JSON),
 * 23 integrity constraint, 54 program limit exceeded (a value too large). Writing the same record again
 * fails the same way; anything else (connection, timeout, lock, missing table) may pass on a retry.
 */
const isDataError = (err: unknown): boolean => /^(22|23|54)/.test(errorCode(err) ?? '');

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

import type { DecisionSummary } from '../decision/types';
import { AuditRepository } from './audit-repository';
import { AuditWriter, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_RETRY_DELAY_MS, type AuditWriterOptions } from './audit-writer';
import { migrate } from './migrate';
import type { SqlClient } from './sql-client';
import { describeError } from './sql-errors';
import type { AdminStore, AuditQuery, AuditRecord, CardOutcomeRow, FeedbackRecord } from './types';

/** the write-behind queue's options (audit-writer.ts), and the store's own */
export interface SqlStoreOptions extends Omit<AuditWriterOptions, 'held'> {
  /** close(): how long to wait for a still-initialising store without a journal (ms); default: as long as it takes */
  closeWaitMs?: number;
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

/**
 * The store over any SqlClient (PGlite or PostgreSQL): its life cycle (migrations, background start,
 * retention, health, close) around two parts with a job each: the write-behind queue of audit records
 * (audit-writer.ts), so the hook response never waits for the database, and the queries over what is
 * stored (audit-repository.ts).
 */
export class SqlStore implements AdminStore {
  private readonly writer: AuditWriter;
  private readonly repository: AuditRepository;
  private purgeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** set by init(): resolves once migrations (and the first purge) are done */
  private initialised: Promise<void> | undefined;
  private isReady = false;
  private initError: string | undefined;
  private readonly flushIntervalMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly closeWaitMs: number;

  constructor(
    private readonly db: SqlClient,
    private readonly opts: SqlStoreOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
    this.closeWaitMs = opts.closeWaitMs ?? Number.POSITIVE_INFINITY;
    // a store started in the background writes nothing until its database is ready
    this.writer = new AuditWriter(db, { ...opts, held: opts.background });
    this.repository = new AuditRepository(db);
  }

  get dialect(): SqlClient['dialect'] {
    return this.db.dialect;
  }

  async init(): Promise<void> {
    if (this.opts.journalDir && !this.initialised) this.writer.openJournal(this.opts.journalDir);
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

  private async startUp(): Promise<void> {
    const applied = await migrate(this.db);
    if (applied.length) this.opts.log?.info({ migrations: applied }, 'store migrations applied');
    this.isReady = true;
    this.initError = undefined;
    if (this.closed) return; // closed while starting: close() drains the queue itself
    this.writer.start();
    if (this.opts.retentionDays !== undefined) {
      const purge = () =>
        this.purgeBefore(new Date(Date.now() - this.opts.retentionDays! * DAY_MS).toISOString()).catch((err) =>
          this.opts.log?.error({ err: describeError(err) }, 'audit retention purge failed'),
        );
      await purge();
      this.purgeTimer = setInterval(purge, DAY_MS);
      this.purgeTimer.unref();
    }
    this.writer.writeSoon(); // records queued while initialising
  }

  private async startUpWithRetry(): Promise<void> {
    let delay = this.flushIntervalMs;
    for (;;) {
      try {
        await this.startUp();
        return;
      } catch (err) {
        this.initError = describeError(err);
        if (this.closed) throw err; // closed meanwhile: nothing to retry for
        this.opts.log?.error({ err: this.initError, queueDepth: this.writer.depth }, 'store start-up failed; audit records kept in memory, retrying');
        if (this.closed) throw err;
        await new Promise((r) => setTimeout(r, delay).unref());
        if (this.closed) throw err;
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }

  enqueueAudit(record: AuditRecord): Promise<void> {
    return this.writer.enqueue(record);
  }

  async flush(): Promise<void> {
    await this.ready();
    await this.writer.drain();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.stop();
    clearInterval(this.purgeTimer);
    try {
      // still initialising (initdb can take minutes on a busy machine): with a journal the queued records
      // are safe on disk and replayed at the next start, so a stop does not wait for the database
      if (this.opts.background && !this.isReady && (this.writer.journaled || this.db.ephemeral)) {
        this.opts.log?.info(
          { queued: this.writer.depth },
          this.writer.journaled ? 'store closed while initialising: queued audit records stay in the journal' : 'throw-away store closed while initialising',
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
        { err: describeError(err), lost: this.writer.depth },
        'store closing with audit records that could not be written',
      );
    } finally {
      try {
        await this.db.close();
      } finally {
        await this.writer.closeJournal();
      }
    }
  }

  async health(): Promise<{ ok: boolean; queueDepth: number; detail?: string }> {
    const queueDepth = this.writer.depth;
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
      return { ok: false, queueDepth, detail: `database unavailable (${describeError(err)})` };
    }
    if (this.writer.writeError) return { ok: false, queueDepth, detail: `audit writes failing (${this.writer.writeError})` };
    if (this.writer.journalError) return { ok: false, queueDepth, detail: `audit journal failing (${this.writer.journalError})` };
    return { ok: true, queueDepth };
  }

  async findIssuedCard(serviceId: string, cardUuid: string): Promise<DecisionSummary | undefined> {
    const queued = this.writer.findQueuedCard(serviceId, cardUuid);
    if (queued) return queued;
    await this.ready();
    return this.repository.findIssuedCard(serviceId, cardUuid);
  }

  async saveFeedback(feedback: FeedbackRecord): Promise<{ duplicate: boolean }> {
    await this.ready();
    return this.repository.saveFeedback(feedback);
  }

  async searchAudit(query: AuditQuery): Promise<AuditRecord[]> {
    await this.ready();
    return this.repository.searchAudit(query);
  }

  async cardOutcomes(since: string, until: string): Promise<CardOutcomeRow[]> {
    await this.ready();
    return this.repository.cardOutcomes(since, until);
  }

  async purgeBefore(cutoff: string): Promise<{ auditRecords: number; feedback: number }> {
    await this.ready();
    return this.repository.purgeBefore(cutoff);
  }
}

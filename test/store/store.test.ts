import { createMetrics } from '../../src/metrics/registry';
import { loadMigrations, migrate } from '../../src/store/migrate';
import { pseudonymise } from '../../src/store/pseudonym';
import type { SqlClient } from '../../src/store/sql-client';
import { SqlStore, type SqlStoreOptions } from '../../src/store/sql-store';
import type { AuditRecord } from '../../src/store/types';
import { BACKENDS, SwitchableClient } from './backends';
import { KEY, RAW_PATIENT_ID, card, hookRecord } from './records';

jest.setTimeout(60_000); // file-backed PGlite start-up takes seconds on a busy 2-core machine

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (db: SqlClient, table: string) =>
  Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe.each(BACKENDS)('store on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.create>>;
  let db: SwitchableClient;
  let store: SqlStore;
  const metrics = createMetrics();

  beforeAll(async () => {
    env = await backend.create();
    db = new SwitchableClient(env.open());
    store = new SqlStore(db, { metrics, flushIntervalMs: 20, maxRetryDelayMs: 50 });
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await env.dispose();
  });

  test('migrations: applied once on an empty database, re-run is a no-op, all tables exist', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    for (const t of ['audit_record', 'issued_card', 'feedback']) expect(await count(db, t)).toBeGreaterThanOrEqual(0);
  });

  test('an edited migration is refused', async () => {
    const [first] = loadMigrations();
    await expect(migrate(db, [{ ...first, checksum: 'changed' }])).rejects.toThrow(/changed after it was applied/);
  });

  test('audit record stored with its fields, pseudonyms only: no raw patient / user id anywhere', async () => {
    const rec = hookRecord();
    store.enqueueAudit(rec);
    await store.flush();
    const [stored] = await store.searchAudit({ patientPseudonym: pseudonymise(RAW_PATIENT_ID, KEY) });
    expect(stored.id).toBe(rec.id);
    expect(stored).toMatchObject({
      kind: 'hook',
      serviceId: 'pgx-benefit-order-sign',
      hook: 'order-sign',
      hookInstance: rec.hookInstance,
      client: { iss: 'https://ehr.example.org', sub: 'ehr-client', jti: 'jti-abc-123' },
      knowledgeVersion: 'cpic-2026-10',
      planVersion: 'plan-2026',
      durationMs: 42,
      outcome: 'success',
      decisions: rec.decisions,
      demographics: rec.demographics,
    });
    expect(stored.patientPseudonym).toMatch(/^p1:[0-9a-f]{64}$/);
    // scan every stored row as text
    for (const table of ['audit_record', 'issued_card', 'feedback']) {
      const dump = JSON.stringify(await db.query(`SELECT * FROM ${table}`));
      expect(dump).not.toContain(RAW_PATIENT_ID);
      expect(dump).not.toContain('dr-raw-99');
    }
  });

  test('AuditEvent search filters: since / until / patient / service, newest first', async () => {
    const other = hookRecord({ patientId: 'someone-else', serviceId: 'pgx-benefit-order-select', time: '2026-11-21T08:00:00.000Z', decisions: [card()] });
    const late = hookRecord({ time: '2026-11-22T08:00:00.000Z', decisions: [card()] });
    store.enqueueAudit(other);
    store.enqueueAudit(late);
    await store.flush();
    const pseudo = pseudonymise(RAW_PATIENT_ID, KEY);
    const mine = await store.searchAudit({ patientPseudonym: pseudo });
    expect(mine.map((r) => r.time)).toEqual(['2026-11-22T08:00:00.000Z', '2026-11-20T10:00:00.000Z']);
    expect((await store.searchAudit({ serviceId: 'pgx-benefit-order-select' })).map((r) => r.id)).toEqual([other.id]);
    const window = await store.searchAudit({ since: '2026-11-21T00:00:00Z', until: '2026-11-22T08:00:00Z' });
    expect(window.map((r) => r.id)).toEqual([other.id]);
    expect(await store.searchAudit({ limit: 1 })).toHaveLength(1);
  });

  test('feedback: linked to the issued card (also while still queued), idempotent on repeats', async () => {
    const c = card({ cardKind: 'formulary-alternative', planRuleId: 'rule-7' });
    store.enqueueAudit(hookRecord({ decisions: [c] }));
    // not flushed yet: the queue is consulted
    expect(await store.findIssuedCard('pgx-benefit-order-sign', c.cardUuid)).toEqual(c);
    expect(await store.findIssuedCard('other-service', c.cardUuid)).toBeUndefined();
    await store.flush();
    expect(await store.findIssuedCard('pgx-benefit-order-sign', c.cardUuid)).toEqual(c);
    expect(await store.findIssuedCard('pgx-benefit-order-sign', '99999999-0000-5000-8000-000000000000')).toBeUndefined();

    const fb = {
      serviceId: 'pgx-benefit-order-sign',
      cardUuid: c.cardUuid,
      outcome: 'overridden' as const,
      outcomeTimestamp: '2026-11-20T10:05:00.000Z',
      acceptedSuggestions: [],
      overrideReason: { system: 'urn:pbh:override-reason', code: 'patient-pays-cash', display: 'Patient will pay out of pocket', comment: 'free text with PHI' },
    };
    expect(await store.saveFeedback(fb)).toEqual({ duplicate: false });
    expect(await store.saveFeedback(fb)).toEqual({ duplicate: true });
    expect(await store.saveFeedback({ ...fb, outcomeTimestamp: '2026-11-20T10:06:00.000Z' })).toEqual({ duplicate: false });
    const rows = await db.query<{ override_code: string; has_comment: boolean }>(
      'SELECT override_code, has_comment FROM feedback WHERE card_uuid = $1',
      [c.cardUuid],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ override_code: 'patient-pays-cash', has_comment: true });
    expect(JSON.stringify(await db.query('SELECT * FROM feedback'))).not.toContain('free text with PHI');
  });

  test('a repeated hook call (same card uuid) is one card in analytics, and a retried batch is harmless', async () => {
    const c = card();
    const rec = hookRecord({ decisions: [c], time: '2026-10-01T00:00:00.000Z' });
    store.enqueueAudit(rec);
    store.enqueueAudit(rec);
    store.enqueueAudit(hookRecord({ decisions: [c], time: '2026-10-01T00:00:01.000Z' }));
    await store.flush();
    const rows = await db.query('SELECT * FROM issued_card WHERE card_uuid = $1', [c.cardUuid]);
    expect(rows).toHaveLength(1);
    expect(await store.searchAudit({ since: '2026-10-01T00:00:00Z', until: '2026-10-02T00:00:00Z' })).toHaveLength(2);
  });

  test('database down: records stay queued, health degraded, write errors counted; recovery writes them', async () => {
    const before = await count(db, 'audit_record');
    db.down = true;
    const recs = Array.from({ length: 5 }, () => hookRecord({ decisions: [card()] }));
    recs.forEach((r) => store.enqueueAudit(r));
    await sleep(120);
    const h = await store.health();
    expect(h.ok).toBe(false);
    expect(h.queueDepth).toBe(5);
    expect(h.detail).toMatch(/database unavailable/);
    await expect(store.flush()).rejects.toThrow(/ECONNREFUSED/);
    const errors = (await metrics.registry.getSingleMetric('pbh_audit_write_errors_total')!.get()).values[0].value;
    expect(errors).toBeGreaterThanOrEqual(1);
    expect((await metrics.registry.getSingleMetric('pbh_audit_queue_depth')!.get()).values[0].value).toBe(5);

    db.down = false;
    await store.flush();
    expect(await count(db, 'audit_record')).toBe(before + 5);
    expect(await store.health()).toEqual({ ok: true, queueDepth: 0 });
  });

  test('purge removes audit records, cards and feedback older than the cutoff', async () => {
    const old = hookRecord({ time: '2019-01-01T00:00:00.000Z', decisions: [card()] });
    store.enqueueAudit(old);
    await store.flush();
    const cards = await count(db, 'issued_card');
    const res = await store.purgeBefore('2020-01-01T00:00:00Z');
    expect(res.auditRecords).toBe(1);
    expect(await count(db, 'issued_card')).toBe(cards - 1);
    expect(await store.searchAudit({ until: '2020-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe.each(BACKENDS)('store lifecycle on $name', (backend) => {
  test('no record lost when closed right after a burst of 2000', async () => {
    const env = await backend.create();
    try {
      const store = new SqlStore(env.open(), { flushIntervalMs: 50 });
      await store.init();
      for (let i = 0; i < 2000; i++) store.enqueueAudit(hookRecord({ decisions: [card()] }));
      await store.close();
      const again = env.open();
      expect(await count(again, 'audit_record')).toBe(2000);
      expect(await count(again, 'issued_card')).toBe(2000);
      await again.close();
    } finally {
      await env.dispose();
    }
  });

  /**
   * With the database down, enqueue `records`; the queue keeps `kept` (the newest) and drops and counts the
   * rest; once the database is back, exactly the kept records are stored.
   */
  async function dropsOldestWhileDown(opts: SqlStoreOptions, records: AuditRecord[], kept: number, log?: unknown): Promise<void> {
    const env = await backend.create();
    const metrics = createMetrics();
    const db = new SwitchableClient(env.open());
    const store = new SqlStore(db, { metrics, flushIntervalMs: 10, ...opts, ...(log ? { log: log as never } : {}) });
    try {
      await store.init();
      db.down = true;
      records.forEach((r) => store.enqueueAudit(r));
      await sleep(60);
      expect((await store.health()).queueDepth).toBe(kept);
      expect((await metrics.registry.getSingleMetric('pbh_audit_dropped_total')!.get()).values[0].value).toBe(records.length - kept);
      db.down = false;
      await store.flush();
      const ids = (await db.query<{ id: string }>('SELECT id FROM audit_record')).map((r) => r.id).sort();
      expect(ids).toEqual(records.slice(records.length - kept).map((r) => r.id).sort());
    } finally {
      await store.close();
      await env.dispose();
    }
  }

  test('bounded queue while down: oldest dropped and counted, newest kept', async () => {
    const errors: string[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (_o: unknown, msg?: string) => void errors.push(String(msg ?? _o)) };
    const recs = Array.from({ length: 8 }, () => hookRecord({ decisions: [card()] }));
    await dropsOldestWhileDown({ queueCapacity: 5 }, recs, 5, log);
    expect(errors.some((e) => /dropped/.test(e))).toBe(true);
  });

  test('queue bounded by bytes too: a few large records fill it before the record count does', async () => {
    const big = () =>
      hookRecord({
        decisions: [card()],
        resourcesUsed: Array.from({ length: 100 }, (_, i) => ({ resourceType: 'Observation', id: `obs-${i}`, versionId: '1' })),
      });
    const size = JSON.stringify(big()).length;
    await dropsOldestWhileDown({ queueCapacity: 1000, queueMaxBytes: size * 3 + 100 }, Array.from({ length: 6 }, big), 3);
  });

  test('a batch larger than one INSERT statement: every record, card and demographic stored as sent', async () => {
    const env = await backend.create();
    const db = env.open();
    const store = new SqlStore(db, { flushIntervalMs: 10_000 });
    try {
      await store.init();
      // ~6 kB each, 150 records: ~0.9 MB of JSON, several statements in one transaction
      const recs = Array.from({ length: 150 }, (_, n) =>
        hookRecord(
          {
            decisions: [card({ planRuleId: `rule-${n}` }), card({ cardKind: 'pa-preview', paPathway: 'standard', stepTherapy: 'required' })],
            resourcesUsed: Array.from({ length: 80 }, (_, i) => ({ resourceType: 'MedicationRequest', id: `mr-${n}-${i}`, versionId: '3' })),
          },
          n % 2 ? undefined : { race: '2054-5', ethnicity: '2135-2', sex: 'male', ageBand: '18-44' },
        ),
      );
      recs.push(hookRecord({ demographics: undefined, decisions: [card()] }));
      recs.forEach((r) => store.enqueueAudit(r));
      await store.flush();
      expect(await count(db, 'audit_record')).toBe(151);
      expect(await count(db, 'issued_card')).toBe(301);
      const stored = await store.searchAudit({ limit: 1000 });
      expect(new Map(stored.map((r) => [r.id, r]))).toEqual(new Map(recs.map((r) => [r.id, JSON.parse(JSON.stringify(r))])));
      const cards = await db.query<Record<string, unknown>>(
        'SELECT card_uuid, audit_id, card_kind, pair, plan_rule_id, step_therapy, pa_pathway, race, ethnicity, sex, age_band, summary FROM issued_card',
      );
      const expected = recs.flatMap((r) =>
        r.decisions.map((d) => ({
          card_uuid: d.cardUuid,
          audit_id: r.id,
          card_kind: d.cardKind,
          pair: d.pair ?? null,
          plan_rule_id: d.planRuleId ?? null,
          step_therapy: d.stepTherapy ?? null,
          pa_pathway: d.paPathway ?? null,
          race: r.demographics?.race ?? 'unknown',
          ethnicity: r.demographics?.ethnicity ?? 'unknown',
          sex: r.demographics?.sex ?? 'unknown',
          age_band: r.demographics?.ageBand ?? 'unknown',
          summary: d,
        })),
      );
      const byUuid = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.card_uuid).localeCompare(String(b.card_uuid));
      expect([...cards].sort(byUuid)).toEqual([...expected].sort(byUuid));
    } finally {
      await store.close();
      await env.dispose();
    }
  });

  test('two stores migrating the same empty database together: both start, migrations applied once', async () => {
    const env = await backend.create();
    if (backend.name === 'pglite') {
      // one process owns a PGlite directory; re-opening it after close must find the schema in place
      const a = new SqlStore(env.open());
      await a.init();
      await a.close();
      const b = env.open();
      expect(await migrate(b)).toEqual([]);
      await b.close();
      await env.dispose();
      return;
    }
    const a = env.open();
    const b = env.open();
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra, ...rb].sort()).toEqual(loadMigrations().map((m) => m.version));
      expect(await count(a, 'schema_migrations')).toBe(loadMigrations().length);
    } finally {
      await a.close();
      await b.close();
      await env.dispose();
    }
  });
});

describe('invalid records', () => {
  test('are refused at enqueue (logged, counted as dropped) so they cannot block the batches behind them', async () => {
    const [backend] = BACKENDS;
    const env = await backend.create();
    const metrics = createMetrics();
    const store = new SqlStore(env.open(), { metrics });
    try {
      await store.init();
      const good = hookRecord({ decisions: [card()] });
      const circular = hookRecord({ decisions: [card()] }) as unknown as Record<string, unknown>;
      circular.self = circular;
      store.enqueueAudit({ ...hookRecord(), time: 'not a time' });
      store.enqueueAudit(circular as never);
      store.enqueueAudit(good);
      await store.flush();
      expect((await store.searchAudit({})).map((r) => r.id)).toEqual([good.id]);
      expect((await metrics.registry.getSingleMetric('pbh_audit_dropped_total')!.get()).values[0].value).toBe(2);
    } finally {
      await store.close();
      await env.dispose();
    }
  });
});

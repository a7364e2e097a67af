import type { DecisionSummary } from '../decision/types';
import { restoreStrings, storableText } from './storable-json';
import type { SqlClient } from './sql-client';
import type { AuditQuery, AuditRecord, CardOutcomeRow, FeedbackRecord } from './types';

/** most records one searchAudit returns (the admin route pages by ≤ 1000) */
const MAX_SEARCH_LIMIT = 100_000;

/**
 * The queries over what is stored: issued cards, feedback, audit search, analytics rows and retention.
 * Stateless SQL over any SqlClient; records still waiting in the write-behind queue are not seen here.
 */
export class AuditRepository {
  constructor(private readonly db: SqlClient) {}

  async findIssuedCard(serviceId: string, cardUuid: string): Promise<DecisionSummary | undefined> {
    const rows = await this.db.query<{ summary: DecisionSummary }>(
      'SELECT summary FROM issued_card WHERE service_id = $1 AND card_uuid = $2',
      [serviceId, cardUuid],
    );
    return rows[0]?.summary;
  }

  async saveFeedback(f: FeedbackRecord): Promise<{ duplicate: boolean }> {
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

  purgeBefore(cutoff: string): Promise<{ auditRecords: number; feedback: number }> {
    return this.db.transaction(async (tx) => {
      // issued_card rows go with their audit record (ON DELETE CASCADE)
      const a = await tx.query('DELETE FROM audit_record WHERE recorded_at < $1 RETURNING 1', [cutoff]);
      const f = await tx.query('DELETE FROM feedback WHERE received_at < $1 RETURNING 1', [cutoff]);
      await tx.query('DELETE FROM audit_dead_letter WHERE failed_at < $1', [cutoff]);
      return { auditRecords: a.length, feedback: f.length };
    });
  }
}

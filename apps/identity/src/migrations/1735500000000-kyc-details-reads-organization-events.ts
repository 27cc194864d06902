import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEvent, OrganizationCreated } from '@talent/events';

const ANNOUNCE_BATCH = 500;

/**
 * 1. The audit log of KYC details reads: who read which decrypted fields of which case, when.
 *    Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE, whoever writes): the case's
 *    owner reads it to see who looked at their documents.
 * 2. Organizations created before OrganizationCreated existed are announced now: their events
 *    go to the outbox in this migration's transaction, so jobs learns them like new ones and
 *    their members can keep posting under them.
 */
export class KycDetailsReadsOrganizationEvents1735500000000 implements MigrationInterface {
  name = 'KycDetailsReadsOrganizationEvents1735500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kyc_details_reads (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES kyc_cases (id),
        case_owner_id uuid NOT NULL REFERENCES users (id),
        reader_id uuid NOT NULL REFERENCES users (id),
        reader_roles text[] NOT NULL,
        fields text[] NOT NULL
          CHECK (cardinality(fields) > 0 AND fields <@ ARRAY['LEGAL_NAME', 'DATE_OF_BIRTH', 'DOCUMENT_NUMBER']::text[]),
        read_at timestamptz NOT NULL,
        CHECK (reader_id <> case_owner_id)
      )`);
    await q.query(`CREATE INDEX kyc_details_reads_owner_idx ON kyc_details_reads (case_owner_id, read_at DESC, id DESC)`);
    await q.query(`CREATE INDEX kyc_details_reads_case_idx ON kyc_details_reads (case_id, read_at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION kyc_details_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER kyc_details_reads_append_only BEFORE UPDATE OR DELETE ON kyc_details_reads FOR EACH ROW EXECUTE FUNCTION kyc_details_reads_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER kyc_details_reads_no_truncate BEFORE TRUNCATE ON kyc_details_reads FOR EACH STATEMENT EXECUTE FUNCTION kyc_details_reads_append_only()`,
    );

    // Built and validated by the event's own definition, like any published event.
    for (let offset = 0; ; offset += ANNOUNCE_BATCH) {
      const organizations: Array<{ id: string; created_by: string; created_at: Date }> = await q.query(
        `SELECT id, created_by, created_at FROM organizations ORDER BY created_at, id LIMIT $1 OFFSET $2`,
        [ANNOUNCE_BATCH, offset],
      );
      if (organizations.length === 0) break;
      const events = organizations.map((o) =>
        createEvent(OrganizationCreated, { organizationId: o.id, ownerId: o.created_by, createdAt: new Date(o.created_at).toISOString() }),
      );
      await q.query(
        `INSERT INTO outbox (id, topic, message_key, type, envelope)
         SELECT e.id, $2, e.aggregate_id, $3, e.envelope
           FROM jsonb_to_recordset($1::jsonb) AS e (id uuid, aggregate_id text, envelope jsonb)`,
        [JSON.stringify(events.map((e) => ({ id: e.id, aggregate_id: e.aggregateId, envelope: e }))), OrganizationCreated.topic, OrganizationCreated.type],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Announced organizations stay announced: events cannot be taken back.
    await q.query(`DROP TABLE kyc_details_reads`);
    await q.query(`DROP FUNCTION kyc_details_reads_append_only()`);
  }
}

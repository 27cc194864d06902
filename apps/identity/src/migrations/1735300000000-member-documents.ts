import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One person, one membership: a keyed fingerprint of each case's identity document, and
 * the fingerprints of approved members. The fingerprint needs KYC_FINGERPRINT_KEY, which a
 * migration does not have: cases that existed before are filled in at start-up
 * (DocumentFingerprintBackfill).
 */
export class MemberDocuments1735300000000 implements MigrationInterface {
  name = 'MemberDocuments1735300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE kyc_cases ADD COLUMN document_fingerprint text`);
    // Makes the start-up check for cases still to fingerprint cheap once there are none.
    await q.query(`CREATE INDEX kyc_cases_fingerprint_missing_idx ON kyc_cases (id) WHERE document_fingerprint IS NULL`);
    await q.query(`
      CREATE TABLE member_documents (
        fingerprint text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        kyc_case_id uuid NOT NULL REFERENCES kyc_cases (id),
        approved_at timestamptz NOT NULL,
        CONSTRAINT member_documents_pkey PRIMARY KEY (fingerprint)
      )`);
    await q.query(`CREATE UNIQUE INDEX member_documents_case_key ON member_documents (kyc_case_id)`);
    await q.query(`CREATE INDEX member_documents_user_idx ON member_documents (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE member_documents`);
    await q.query(`DROP INDEX kyc_cases_fingerprint_missing_idx`);
    await q.query(`ALTER TABLE kyc_cases DROP COLUMN document_fingerprint`);
  }
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { inTransaction, ROOT_LOGGER, FieldCipher } from '@talent/platform';
import { DocumentFingerprinter } from './document-fingerprint';
import { kycFieldAad, type KycDocumentType } from './kyc-case.entity';

/** Replicas starting together take turns; every step is idempotent, so a turn repeated does nothing. */
const BACKFILL_LOCK = 7_305_003;
const BATCH_SIZE = 200;

export interface BackfillCounts {
  /** Cases given a fingerprint. */
  fingerprinted: number;
  /** Cases whose document number did not decrypt with the configured key (left without one). */
  unreadable: number;
  /** Approved cases recorded as their member's document. */
  membersRecorded: number;
  /** Approved cases whose document another member holds: both stay members, only the first approved is recorded. */
  membersSharingADocument: number;
}

/**
 * Fingerprints the cases submitted before fingerprints existed (the migration cannot: it has
 * no key) and records the documents of members approved before then, at start, before the
 * service takes requests. Existing members are unaffected: when two of them share a document,
 * the one approved first holds it and both stay members. Logs counts only, never a number
 * or a fingerprint.
 */
@Injectable()
export class DocumentFingerprintBackfill implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(DocumentFingerprinter) private readonly fingerprints: DocumentFingerprinter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const counts = await this.run();
    if (counts.unreadable > 0) {
      this.logger.error(
        { unreadable: counts.unreadable },
        'KYC cases whose document number no configured KYC encryption key decrypts (KYC_ENCRYPTION_KEY, KYC_ENCRYPTION_KEYS): left without a fingerprint',
      );
    }
    if (counts.fingerprinted > 0 || counts.membersRecorded > 0 || counts.membersSharingADocument > 0) {
      this.logger.info(counts, 'identity document fingerprints backfilled');
    }
  }

  async run(): Promise<BackfillCounts> {
    const counts: BackfillCounts = { fingerprinted: 0, unreadable: 0, membersRecorded: 0, membersSharingADocument: 0 };
    // 1. Every case without a fingerprint gets one, a batch per transaction, in id order so
    //    that a case that cannot be read is passed over instead of read again.
    let after: string | null = null;
    for (;;) {
      const batch: { lastId: string | null; fingerprinted: number; unreadable: number } = await inTransaction(this.dataSource, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [BACKFILL_LOCK]);
        const rows: Array<{ id: string; country: string; document_type: KycDocumentType; document_number_enc: string }> = await tx.query(
          `SELECT id, country, document_type, document_number_enc FROM kyc_cases
            WHERE document_fingerprint IS NULL AND ($1::uuid IS NULL OR id > $1::uuid)
            ORDER BY id LIMIT $2 FOR UPDATE`,
          [after, BATCH_SIZE],
        );
        const ids: string[] = [];
        const values: string[] = [];
        let unreadable = 0;
        for (const row of rows) {
          let documentNumber: string;
          try {
            documentNumber = this.cipher.decrypt(row.document_number_enc, kycFieldAad(row.id, 'document_number'));
          } catch {
            unreadable++;
            continue;
          }
          ids.push(row.id);
          values.push(this.fingerprints.fingerprint({ documentType: row.document_type, country: row.country, documentNumber }));
        }
        if (ids.length > 0) {
          await tx.query(
            `UPDATE kyc_cases c SET document_fingerprint = v.fingerprint
               FROM unnest($1::uuid[], $2::text[]) AS v (id, fingerprint)
              WHERE c.id = v.id AND c.document_fingerprint IS NULL`,
            [ids, values],
          );
        }
        return { lastId: rows.at(-1)?.id ?? null, fingerprinted: ids.length, unreadable };
      });
      counts.fingerprinted += batch.fingerprinted;
      counts.unreadable += batch.unreadable;
      if (batch.lastId === null) break;
      after = batch.lastId;
    }
    // 2. Every approved case not yet recorded claims its document, earliest approval first;
    //    a document already claimed stays with its holder. Also picks up what a crash between
    //    the two steps, or an approval by a replica of the previous version, left out.
    const [recorded] = await inTransaction(this.dataSource, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BACKFILL_LOCK]);
      return tx.query(
        `WITH candidates AS (
           SELECT c.id, c.user_id, c.document_fingerprint, c.reviewed_at FROM kyc_cases c
            WHERE c.status = 'APPROVED' AND c.document_fingerprint IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM member_documents m WHERE m.kyc_case_id = c.id)
         ), inserted AS (
           INSERT INTO member_documents (fingerprint, user_id, kyc_case_id, approved_at)
           SELECT document_fingerprint, user_id, id, reviewed_at FROM candidates ORDER BY reviewed_at, id
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM candidates)::int AS candidates, (SELECT count(*) FROM inserted)::int AS inserted`,
      );
    });
    counts.membersRecorded = recorded.inserted;
    counts.membersSharingADocument = recorded.candidates - recorded.inserted;
    return counts;
  }
}

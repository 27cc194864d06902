import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { KycApproved, KycRejected } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  FieldCipher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  parseCommand,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { DocumentFingerprinter } from './document-fingerprint';
import { KycCaseRecord, kycFieldAad as aad } from './kyc-case.entity';
import { MemberDocumentRecord } from './member-document.entity';

/** Why an approval is refused when the document is a member's already (shown to the inspector). */
export const DOCUMENT_ALREADY_USED =
  'This identity document already belongs to another member account (one person, one membership): this case cannot be approved';

const ReviewKycCaseCommand = z.object({
  caseId: z.string(),
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z
    .string()
    .trim()
    .max(1000, 'must be at most 1000 characters')
    .nullish()
    .transform((reason) => reason || null),
});

/**
 * Use case: an INSPECTOR or ADMIN decides a PENDING case; never their own; a decided case stays
 * decided. An approval claims the case's identity document for its user: refused (CONFLICT,
 * nothing changes) when the document is another member's already; rejecting still works.
 * KycApproved makes the user a member in every service that keeps the membership projection.
 */
@Injectable()
export class ReviewKycCase implements UseCase<z.input<typeof ReviewKycCaseCommand>, KycCaseRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(DocumentFingerprinter) private readonly fingerprints: DocumentFingerprinter,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ReviewKycCaseCommand>): Promise<KycCaseRecord> {
    const reviewer = requireRole(callerOf(ctx), 'INSPECTOR', 'ADMIN');
    const { caseId, decision, reason } = parseCommand(ReviewKycCaseCommand, input);
    if (!isUuid(caseId)) throw new NotFoundError('KYC case');
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        const record = await tx.getRepository(KycCaseRecord).findOne({ where: { id: caseId.toLowerCase() }, lock: { mode: 'pessimistic_write' } });
        if (!record) throw new NotFoundError('KYC case');
        if (record.userId === reviewer.id) throw new ForbiddenError('Nobody reviews their own KYC case');
        if (record.status !== 'PENDING') throw new ConflictError(`This case was already ${record.status.toLowerCase()}`);
        const now = new Date();
        if (decision === 'APPROVE') await this.claimDocument(tx, record, now);
        record.status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
        record.reviewedBy = reviewer.id;
        record.reviewedAt = now;
        record.reason = reason;
        await tx.getRepository(KycCaseRecord).update({ id: record.id }, { status: record.status, reviewedBy: reviewer.id, reviewedAt: now, reason });
        await tx.getRepository(UserRecord).update({ id: record.userId }, { kycStatus: record.status, updatedAt: now });
        if (record.status === 'APPROVED') {
          await this.events.publish(
            tx,
            KycApproved,
            { caseId: record.id, userId: record.userId, reviewerId: reviewer.id, country: record.country, approvedAt: now.toISOString() },
            { traceparent: ctx.traceparent },
          );
        } else {
          await this.events.publish(
            tx,
            KycRejected,
            { caseId: record.id, userId: record.userId, reviewerId: reviewer.id, rejectedAt: now.toISOString() },
            { traceparent: ctx.traceparent },
          );
        }
        return record;
      });
    } catch (error) {
      // Backstop: a claim that fails on the primary key instead of inserting nothing (see
      // claimDocument) is the same refusal. The driver error is not kept as a cause: its detail
      // names the fingerprint.
      if (isUniqueViolation(error, 'member_documents_pkey')) throw new ConflictError(DOCUMENT_ALREADY_USED);
      throw error;
    }
  }

  /**
   * Records the approved case's document as its user's, in the approving transaction. A case
   * submitted before fingerprints existed and not yet backfilled gets its fingerprint here.
   */
  private async claimDocument(tx: EntityManager, record: KycCaseRecord, approvedAt: Date): Promise<void> {
    if (!record.documentFingerprint) {
      const documentNumber = this.cipher.decrypt(record.documentNumberEnc, aad(record.id, 'document_number'));
      record.documentFingerprint = this.fingerprints.fingerprint({ documentType: record.documentType, country: record.country, documentNumber });
      await tx.getRepository(KycCaseRecord).update({ id: record.id }, { documentFingerprint: record.documentFingerprint });
    }
    const holder = await tx.getRepository(MemberDocumentRecord).findOneBy({ fingerprint: record.documentFingerprint });
    if (holder?.userId === record.userId) return;
    if (holder) throw new ConflictError(DOCUMENT_ALREADY_USED);
    // Two approvals of one document racing past the check above: the primary key lets one
    // through. The other's insert waits for it to commit and then inserts nothing, which is
    // refused like a holder found. ON CONFLICT rather than a unique violation, because a failed
    // query is logged with its parameters, and one of them is the fingerprint.
    const claimed: unknown[] = await tx.query(
      `INSERT INTO member_documents (fingerprint, user_id, kyc_case_id, approved_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (fingerprint) DO NOTHING RETURNING fingerprint`,
      [record.documentFingerprint, record.userId, record.id, approvedAt],
    );
    if (claimed.length === 0) throw new ConflictError(DOCUMENT_ALREADY_USED);
  }
}

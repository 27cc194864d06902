import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KycApproved, KycRejected, KycSubmitted } from '@talent/events';
import {
  BadUserInputError,
  ConflictError,
  decodeCursor,
  encodeCursor,
  EventPublisher,
  ForbiddenError,
  inTransaction,
  isCountryCode,
  isUniqueViolation,
  NotFoundError,
  type AuthUser,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { KycCaseRecord, kycFieldAad as aad, type KycDocumentType } from './kyc-case.entity';
import { DocumentFingerprinter, normalizeDocumentNumber } from './document-fingerprint';
import { FieldCipher } from '@talent/platform';
import { MemberDocumentRecord } from './member-document.entity';

export interface SubmitKycCommand {
  legalName: string;
  country: string;
  dateOfBirth: string;
  documentType: KycDocumentType;
  documentNumber: string;
}

const MIN_AGE = 18;

/** Why an approval is refused when the document is a member's already (shown to the inspector). */
export const DOCUMENT_ALREADY_USED =
  'This identity document already belongs to another member account (one person, one membership): this case cannot be approved';

@Injectable()
export class KycService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(DocumentFingerprinter) private readonly fingerprints: DocumentFingerprinter,
  ) {}

  /**
   * Opens a PENDING case. One open case per user; an approved user cannot submit again;
   * after a rejection a new submission opens a new case.
   */
  async submit(caller: AuthUser, input: SubmitKycCommand, traceparent?: string): Promise<KycCaseRecord> {
    const country = input.country.toUpperCase();
    if (!isCountryCode(country)) throw new BadUserInputError(`Unknown country code ${input.country}`, 'country');
    assertAdult(input.dateOfBirth);
    const documentNumber = normalizeDocumentNumber(input.documentNumber);
    if (documentNumber.length < 5) throw new BadUserInputError('documentNumber is too short', 'documentNumber');
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const user = await tx.getRepository(UserRecord).findOne({ where: { id: caller.id }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw new NotFoundError('User');
        if (user.kycStatus === 'APPROVED') throw new ConflictError('KYC is already approved');
        if (user.kycStatus === 'PENDING') throw new ConflictError('A KYC case is already waiting for review');
        const id = randomUUID();
        const record = tx.getRepository(KycCaseRecord).create({
          id,
          userId: user.id,
          status: 'PENDING',
          country,
          documentType: input.documentType,
          legalNameEnc: this.cipher.encrypt(input.legalName.trim(), aad(id, 'legal_name')),
          documentNumberEnc: this.cipher.encrypt(documentNumber, aad(id, 'document_number')),
          documentNumberLast4: documentNumber.slice(-4),
          dateOfBirthEnc: this.cipher.encrypt(input.dateOfBirth, aad(id, 'date_of_birth')),
          documentFingerprint: this.fingerprints.fingerprint({ documentType: input.documentType, country, documentNumber }),
          submittedAt: new Date(),
          reviewedBy: null,
          reviewedAt: null,
          reason: null,
        });
        await tx.getRepository(KycCaseRecord).insert(record);
        await tx.getRepository(UserRecord).update({ id: user.id }, { kycStatus: 'PENDING', updatedAt: new Date() });
        await this.events.publish(
          tx,
          KycSubmitted,
          { caseId: id, userId: user.id, country, documentType: input.documentType },
          { traceparent },
        );
        return record;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'kyc_cases_one_pending_per_user')) throw new ConflictError('A KYC case is already waiting for review');
      throw error;
    }
  }

  /**
   * INSPECTOR or ADMIN (checked by the resolver); never one's own case; a decided case stays
   * decided. An approval claims the case's identity document for its user: refused (CONFLICT,
   * nothing changes) when the document is another member's already; rejecting still works.
   */
  async review(
    reviewer: AuthUser,
    caseId: string,
    decision: 'APPROVE' | 'REJECT',
    reason: string | null | undefined,
    traceparent?: string,
  ): Promise<KycCaseRecord> {
    const trimmedReason = reason?.trim() || null;
    if (trimmedReason && trimmedReason.length > 1000) throw new BadUserInputError('reason must be at most 1000 characters', 'reason');
    try {
      return await this.decide(reviewer, caseId, decision, trimmedReason, traceparent);
    } catch (error) {
      // Backstop: a claim that fails on the primary key instead of inserting nothing (see
      // claimDocument) is the same refusal. The driver error is not kept as a cause: its detail
      // names the fingerprint.
      if (isUniqueViolation(error, 'member_documents_pkey')) throw new ConflictError(DOCUMENT_ALREADY_USED);
      throw error;
    }
  }

  private decide(
    reviewer: AuthUser,
    caseId: string,
    decision: 'APPROVE' | 'REJECT',
    trimmedReason: string | null,
    traceparent?: string,
  ): Promise<KycCaseRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const record = await tx.getRepository(KycCaseRecord).findOne({ where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
      if (!record) throw new NotFoundError('KYC case');
      if (record.userId === reviewer.id) throw new ForbiddenError('Nobody reviews their own KYC case');
      if (record.status !== 'PENDING') throw new ConflictError(`This case was already ${record.status.toLowerCase()}`);
      const now = new Date();
      if (decision === 'APPROVE') await this.claimDocument(tx, record, now);
      record.status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
      record.reviewedBy = reviewer.id;
      record.reviewedAt = now;
      record.reason = trimmedReason;
      await tx
        .getRepository(KycCaseRecord)
        .update({ id: record.id }, { status: record.status, reviewedBy: reviewer.id, reviewedAt: now, reason: trimmedReason });
      await tx.getRepository(UserRecord).update({ id: record.userId }, { kycStatus: record.status, updatedAt: now });
      if (record.status === 'APPROVED') {
        await this.events.publish(
          tx,
          KycApproved,
          { caseId: record.id, userId: record.userId, reviewerId: reviewer.id, country: record.country, approvedAt: now.toISOString() },
          { traceparent },
        );
      } else {
        await this.events.publish(
          tx,
          KycRejected,
          { caseId: record.id, userId: record.userId, reviewerId: reviewer.id, rejectedAt: now.toISOString() },
          { traceparent },
        );
      }
      return record;
    });
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

  /**
   * For each case: whether another account was approved with the same identity document
   * (such a case cannot be approved). Unknown ids and cases without a fingerprint yet are false.
   */
  async documentsAlreadyUsed(caseIds: string[]): Promise<Map<string, boolean>> {
    const result = new Map(caseIds.map((id) => [id, false]));
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT c.id FROM kyc_cases c
         JOIN member_documents m ON m.fingerprint = c.document_fingerprint AND m.user_id <> c.user_id
        WHERE c.id = ANY($1::uuid[])`,
      [caseIds],
    );
    for (const { id } of rows) result.set(id, true);
    return result;
  }

  /** Open cases, oldest first, without the reviewer's own. Keyset pagination on (submittedAt, id). */
  async queue(reviewer: AuthUser, first: number, after?: string | null) {
    const qb = this.dataSource
      .getRepository(KycCaseRecord)
      .createQueryBuilder('c')
      .where(`c.status = 'PENDING'`)
      .andWhere('c.user_id <> :reviewer', { reviewer: reviewer.id })
      .orderBy('c.submitted_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(first + 1);
    if (after) {
      const [submittedAt, id] = decodeCursor(after, 2);
      qb.andWhere('(c.submitted_at, c.id) > (:submittedAt, :id)', { submittedAt, id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, first);
    return {
      edges: page.map((node) => ({ cursor: encodeCursor([node.submittedAt.toISOString(), node.id]), node })),
      hasNextPage: rows.length > first,
    };
  }

  findById(id: string): Promise<KycCaseRecord | null> {
    return this.dataSource.getRepository(KycCaseRecord).findOneBy({ id });
  }
}

function assertAdult(dateOfBirth: string): void {
  const date = new Date(`${dateOfBirth}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== dateOfBirth) {
    throw new BadUserInputError('dateOfBirth is not a valid date', 'dateOfBirth');
  }
  const now = new Date();
  const adultFrom = new Date(Date.UTC(now.getUTCFullYear() - MIN_AGE, now.getUTCMonth(), now.getUTCDate()));
  if (date > adultFrom) throw new BadUserInputError(`Members must be at least ${MIN_AGE} years old`, 'dateOfBirth');
  if (date.getUTCFullYear() < now.getUTCFullYear() - 120) throw new BadUserInputError('dateOfBirth is not plausible', 'dateOfBirth');
}

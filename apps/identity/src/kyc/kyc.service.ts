import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
import { KycCaseRecord, type KycDocumentType } from './kyc-case.entity';
import { FieldCipher } from './field-cipher';

export interface SubmitKycCommand {
  legalName: string;
  country: string;
  dateOfBirth: string;
  documentType: KycDocumentType;
  documentNumber: string;
}

const MIN_AGE = 18;

/** Associated data binding an encrypted field to its case and column. */
const aad = (caseId: string, field: string) => `kyc_cases:${caseId}:${field}`;

@Injectable()
export class KycService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
  ) {}

  /**
   * Opens a PENDING case. One open case per user; an approved user cannot submit again;
   * after a rejection a new submission opens a new case.
   */
  async submit(caller: AuthUser, input: SubmitKycCommand, traceparent?: string): Promise<KycCaseRecord> {
    const country = input.country.toUpperCase();
    if (!isCountryCode(country)) throw new BadUserInputError(`Unknown country code ${input.country}`, 'country');
    assertAdult(input.dateOfBirth);
    const documentNumber = input.documentNumber.replace(/[\s-]/g, '').toUpperCase();
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

  /** INSPECTOR or ADMIN (checked by the resolver); never one's own case; a decided case stays decided. */
  review(
    reviewer: AuthUser,
    caseId: string,
    decision: 'APPROVE' | 'REJECT',
    reason: string | null | undefined,
    traceparent?: string,
  ): Promise<KycCaseRecord> {
    const trimmedReason = reason?.trim() || null;
    if (trimmedReason && trimmedReason.length > 1000) throw new BadUserInputError('reason must be at most 1000 characters', 'reason');
    return inTransaction(this.dataSource, async (tx) => {
      const record = await tx.getRepository(KycCaseRecord).findOne({ where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
      if (!record) throw new NotFoundError('KYC case');
      if (record.userId === reviewer.id) throw new ForbiddenError('Nobody reviews their own KYC case');
      if (record.status !== 'PENDING') throw new ConflictError(`This case was already ${record.status.toLowerCase()}`);
      const now = new Date();
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

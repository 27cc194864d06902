import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { KycSubmitted } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  FieldCipher,
  inUseCaseTransaction,
  isCountryCode,
  isUniqueViolation,
  NotFoundError,
  parseCommand,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { DocumentFingerprinter, normalizeDocumentNumber } from './document-fingerprint';
import { KYC_DOCUMENT_TYPES, KycCaseRecord, kycFieldAad as aad } from './kyc-case.entity';

const MIN_AGE = 18;

/** A calendar date that exists, as YYYY-MM-DD, of someone at least MIN_AGE and at most 120 years old. */
const dateOfBirth = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .superRefine((value, ctx) => {
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return void ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
    const now = new Date();
    const adultFrom = new Date(Date.UTC(now.getUTCFullYear() - MIN_AGE, now.getUTCMonth(), now.getUTCDate()));
    if (date > adultFrom) ctx.addIssue({ code: 'custom', message: `members must be at least ${MIN_AGE} years old` });
    else if (date.getUTCFullYear() < now.getUTCFullYear() - 120) ctx.addIssue({ code: 'custom', message: 'is not plausible' });
  });

export const SubmitKycCaseCommand = z.object({
  legalName: z.string().trim().min(2, 'must be 2 to 200 characters').max(200, 'must be 2 to 200 characters'),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .transform((code) => code.toUpperCase())
    .refine(isCountryCode, 'is not a known ISO 3166-1 alpha-2 code'),
  dateOfBirth,
  documentType: z.enum(KYC_DOCUMENT_TYPES),
  documentNumber: z
    .string()
    .regex(/^[A-Za-z0-9 -]{5,32}$/, 'must be 5 to 32 letters, digits, spaces or dashes')
    .transform(normalizeDocumentNumber)
    .refine((number) => number.length >= 5, 'is too short'),
});

/**
 * Use case: a signed-in user opens a PENDING KYC case. One open case per user; an approved
 * user cannot submit again; after a rejection a new submission opens a new case. The personal
 * data is stored encrypted (bound to the case and field), the document also as a keyed
 * fingerprint (one person, one membership).
 */
@Injectable()
export class SubmitKycCase implements UseCase<z.input<typeof SubmitKycCaseCommand>, KycCaseRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
    @Inject(DocumentFingerprinter) private readonly fingerprints: DocumentFingerprinter,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof SubmitKycCaseCommand>): Promise<KycCaseRecord> {
    const caller = callerOf(ctx);
    const { legalName, country, dateOfBirth, documentType, documentNumber } = parseCommand(SubmitKycCaseCommand, input);
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
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
          documentType,
          legalNameEnc: this.cipher.encrypt(legalName, aad(id, 'legal_name')),
          documentNumberEnc: this.cipher.encrypt(documentNumber, aad(id, 'document_number')),
          documentNumberLast4: documentNumber.slice(-4),
          dateOfBirthEnc: this.cipher.encrypt(dateOfBirth, aad(id, 'date_of_birth')),
          documentFingerprint: this.fingerprints.fingerprint({ documentType, country, documentNumber }),
          submittedAt: new Date(),
          reviewedBy: null,
          reviewedAt: null,
          reason: null,
        });
        await tx.getRepository(KycCaseRecord).insert(record);
        await tx.getRepository(UserRecord).update({ id: user.id }, { kycStatus: 'PENDING', updatedAt: new Date() });
        await this.events.publish(tx, KycSubmitted, { caseId: id, userId: user.id, country, documentType }, { traceparent: ctx.traceparent });
        return record;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'kyc_cases_one_pending_per_user')) throw new ConflictError('A KYC case is already waiting for review');
      throw error;
    }
  }
}

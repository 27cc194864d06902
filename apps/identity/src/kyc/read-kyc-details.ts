import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, inTransaction, type AuthUser, FieldCipher } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { KycCaseRecord, kycFieldAad as aad } from './kyc-case.entity';
import { KycDetailsReadRecord, type KycDetailField } from './kyc-details-read.entity';

/** The decrypted details of a case; only the fields asked for are present. */
export interface KycCaseDetails {
  legalName?: string;
  dateOfBirth?: string;
  documentNumber?: string;
}

const REVIEWER_ROLES = ['INSPECTOR', 'ADMIN'] as const;
const isReviewer = (roles: readonly string[]) => REVIEWER_ROLES.some((r) => roles.includes(r));

/**
 * Use case: a reviewer reads the decrypted details of a case under review, so that an
 * approval means someone saw the legal name, date of birth and document number.
 *
 * Who: INSPECTOR or ADMIN (by identity's own records, not only the token, so a role taken
 * back stops reads at once), never the case's owner. When: while the case is PENDING; a
 * decided case is read by nobody through the API (what a decision needed was seen).
 * Anyone else gets null, never an error, so that the field can be asked in a list.
 *
 * Every read is recorded (reader, roles, fields, time) in the same transaction, before
 * anything is decrypted: no read without its record. Decrypted values are returned, never
 * logged or kept.
 */
@Injectable()
export class ReadKycDetails {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
  ) {}

  async execute(reader: AuthUser | null, caseId: string, fields: readonly KycDetailField[]): Promise<KycCaseDetails | null> {
    // Cheap refusals first, from the token; identity's records decide below.
    if (!reader || !(hasRole(reader, 'INSPECTOR') || hasRole(reader, 'ADMIN'))) return null;
    return inTransaction(this.dataSource, async (tx) => {
      // FOR SHARE: a decision on the case waits for this read to commit (and the other way round).
      const record = await tx.getRepository(KycCaseRecord).findOne({ where: { id: caseId }, lock: { mode: 'pessimistic_read' } });
      if (!record || record.status !== 'PENDING' || record.userId === reader.id) return null;
      const user = await tx.getRepository(UserRecord).findOneBy({ id: reader.id });
      if (!user || !isReviewer(user.roles)) return null;
      // Asked for the object alone (e.g. only __typename): nothing is decrypted, nothing to record.
      if (fields.length === 0) return {};
      await tx.getRepository(KycDetailsReadRecord).insert({
        id: randomUUID(),
        caseId: record.id,
        caseOwnerId: record.userId,
        readerId: reader.id,
        readerRoles: [...user.roles],
        fields: [...fields],
        readAt: new Date(),
      });
      const details: KycCaseDetails = {};
      if (fields.includes('LEGAL_NAME')) details.legalName = this.cipher.decrypt(record.legalNameEnc, aad(record.id, 'legal_name'));
      if (fields.includes('DATE_OF_BIRTH')) details.dateOfBirth = this.cipher.decrypt(record.dateOfBirthEnc, aad(record.id, 'date_of_birth'));
      if (fields.includes('DOCUMENT_NUMBER')) details.documentNumber = this.cipher.decrypt(record.documentNumberEnc, aad(record.id, 'document_number'));
      return details;
    });
  }
}

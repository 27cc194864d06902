import { Column, Entity, PrimaryColumn } from 'typeorm';

export const KYC_DOCUMENT_TYPES = ['PASSPORT', 'ID_CARD', 'DRIVERS_LICENSE'] as const;
export type KycDocumentType = (typeof KYC_DOCUMENT_TYPES)[number];
export type KycCaseStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

/** Associated data binding an encrypted field to its case and column (see FieldCipher). */
export const kycFieldAad = (caseId: string, field: 'legal_name' | 'document_number' | 'date_of_birth'): string => `kyc_cases:${caseId}:${field}`;

/** A KYC submission. Legal name, document number and date of birth are stored encrypted (see FieldCipher). */
@Entity({ name: 'kyc_cases' })
export class KycCaseRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column('text')
  status: KycCaseStatus;

  @Column('text')
  country: string;

  @Column({ name: 'document_type', type: 'text' })
  documentType: KycDocumentType;

  @Column({ name: 'legal_name_enc', type: 'text' })
  legalNameEnc: string;

  @Column({ name: 'document_number_enc', type: 'text' })
  documentNumberEnc: string;

  @Column({ name: 'document_number_last4', type: 'text' })
  documentNumberLast4: string;

  @Column({ name: 'date_of_birth_enc', type: 'text' })
  dateOfBirthEnc: string;

  /**
   * Keyed hash of document type, country and number (see DocumentFingerprinter): finds a
   * document that already belongs to a member. Null only for cases submitted before it
   * existed, until the start-up backfill (or their approval) computes it.
   */
  @Column({ name: 'document_fingerprint', type: 'text', nullable: true })
  documentFingerprint: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}

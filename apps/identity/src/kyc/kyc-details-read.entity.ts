import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The decrypted fields of a KYC case a reviewer may read, as the audit log names them. */
export const KYC_DETAIL_FIELDS = ['LEGAL_NAME', 'DATE_OF_BIRTH', 'DOCUMENT_NUMBER'] as const;
export type KycDetailField = (typeof KYC_DETAIL_FIELDS)[number];

/**
 * One read of a case's decrypted details by a reviewer: who, with which roles, which fields,
 * when. Written in the transaction that decrypts, before anything is returned; append-only (a
 * trigger refuses UPDATE, DELETE and TRUNCATE). The case's owner sees these rows.
 */
@Entity({ name: 'kyc_details_reads' })
export class KycDetailsReadRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'case_owner_id', type: 'uuid' })
  caseOwnerId: string;

  @Column({ name: 'reader_id', type: 'uuid' })
  readerId: string;

  /** The reader's roles at the time of the read, from identity's own records (not the token). */
  @Column({ name: 'reader_roles', type: 'text', array: true })
  readerRoles: string[];

  @Column({ type: 'text', array: true })
  fields: KycDetailField[];

  @Column({ name: 'read_at', type: 'timestamptz' })
  readAt: Date;
}

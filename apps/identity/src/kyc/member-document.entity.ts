import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per identity document of an approved member, written in the transaction that
 * approves the case: the primary key is what makes "one person, one membership" hold
 * even when two inspectors approve two cases with one document at the same moment.
 */
@Entity({ name: 'member_documents' })
export class MemberDocumentRecord {
  /** DocumentFingerprinter output, never the number itself. */
  @PrimaryColumn('text')
  fingerprint: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'kyc_case_id', type: 'uuid' })
  kycCaseId: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt: Date;
}

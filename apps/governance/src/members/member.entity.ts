import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Users whose KYC was approved (identity's KycApproved): only members may delegate or receive delegation. */
@Entity({ name: 'members' })
export class MemberRecord {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'kyc_case_id', type: 'uuid' })
  kycCaseId: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt: Date;
}

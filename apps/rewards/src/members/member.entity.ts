import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The users rewards knows to be members (KYC approved), projected from identity's KycApproved events. */
@Entity({ name: 'members' })
export class MemberRecord {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'kyc_case_id', type: 'uuid' })
  kycCaseId: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

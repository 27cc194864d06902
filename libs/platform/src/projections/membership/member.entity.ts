import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The columns every service's `members` projection has. A service that keeps more per member
 * declares its own `@Entity({ name: 'members' })` extending this class (see MembershipOptions.extraColumns);
 * the others register MemberRecord.
 */
export abstract class MemberColumns {
  /** Always lower case (see normalizeUuid). */
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'kyc_case_id', type: 'uuid' })
  kycCaseId: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

/** A user identity approved (KycApproved), as the consuming service knows them. */
@Entity({ name: 'members' })
export class MemberRecord extends MemberColumns {}

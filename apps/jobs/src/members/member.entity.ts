import { Column, Entity } from 'typeorm';
import { MemberColumns } from '@talent/platform';

/**
 * Jobs' `members` projection (identity's KycApproved, see MembershipProjection): the common columns
 * and the member's country, which jobs keeps from the approval.
 */
@Entity({ name: 'members' })
export class JobsMemberRecord extends MemberColumns {
  @Column({ type: 'char', length: 2 })
  country: string;
}

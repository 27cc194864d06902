import { Column } from 'typeorm';
import type { InvalidReason, ReferralStatus } from './referral.types';

/** The lifecycle columns both referral tables share (see the migration's CHECK constraints). */
export abstract class ReferralLifecycleColumns {
  @Column('text')
  status: ReferralStatus;

  /** Set exactly when the status is INVALID. */
  @Column({ name: 'invalid_reason', type: 'text', nullable: true })
  invalidReason: InvalidReason | null;

  /** BTRST paid to the connector (decimal string); set exactly when the status is REWARDED. */
  @Column({ name: 'reward_amount', type: 'numeric', nullable: true })
  rewardAmount: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GrantStatus = 'PAID' | 'REFUSED';
export const GRANT_REFUSALS = [
  'NOT_A_MEMBER',
  'POOL_EXHAUSTED',
  'NO_FX_RATE',
  'POLICY_INACTIVE',
  'INVALID_AMOUNT',
  'ALREADY_REWARDED',
  'OUTSIDE_EARNING_WINDOW',
  'GRANT_CAP',
  'DAILY_CAP',
  'MONTHLY_CAP',
  'SOURCE_CAP',
] as const;
export type GrantRefusal = (typeof GRANT_REFUSALS)[number];

/**
 * One decision per (policy, reference, beneficiary), unique: paid once, or refused and kept
 * as refused so that a replay of the same event never pays either.
 */
@Entity({ name: 'reward_grants' })
export class RewardGrantRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'policy_key', type: 'text' })
  policyKey: string;

  @Column('text')
  reference: string;

  @Column({ name: 'beneficiary_id', type: 'uuid' })
  beneficiaryId: string;

  @Column({ type: 'numeric', precision: 36, scale: 18, nullable: true })
  amount: string | null;

  @Column('text')
  status: GrantStatus;

  @Column({ name: 'refusal_reason', type: 'text', nullable: true })
  refusalReason: GrantRefusal | null;

  @Column({ name: 'transaction_id', type: 'uuid', nullable: true })
  transactionId: string | null;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  /** What the earnings accrue to, e.g. the referral of a per-invoice connector grant. */
  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;

  /** When it was earned: caps count by this instant's UTC day and month. */
  @Column({ name: 'earned_at', type: 'timestamptz' })
  earnedAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

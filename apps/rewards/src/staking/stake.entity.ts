import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StakeStatus = 'LOCKED' | 'REJECTED' | 'RELEASED' | 'SLASHED';
export type StakeRejection = 'INSUFFICIENT_FUNDS' | 'NOT_A_MEMBER' | 'INVALID_AMOUNT';

/**
 * The stake of one application: LOCKED -> RELEASED | SLASHED, or REJECTED at once.
 * A settled (released, slashed) or rejected stake is never touched again.
 */
@Entity({ name: 'stakes' })
export class StakeRecord {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ type: 'numeric', precision: 36, scale: 18 })
  amount: string;

  @Column('text')
  status: StakeStatus;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: StakeRejection | null;

  @Column({ name: 'lock_transaction_id', type: 'uuid', nullable: true })
  lockTransactionId: string | null;

  @Column({ name: 'settle_transaction_id', type: 'uuid', nullable: true })
  settleTransactionId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

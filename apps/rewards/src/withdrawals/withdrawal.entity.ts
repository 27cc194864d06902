import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WithdrawalStatus = 'REQUESTED' | 'SENT' | 'FAILED';

/** A member's request to move BTRST on chain; its amount is held in `withdrawals.pending` until sent or failed. */
@Entity({ name: 'withdrawals' })
export class WithdrawalRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'numeric', precision: 36, scale: 18 })
  amount: string;

  @Column({ name: 'to_address', type: 'text' })
  toAddress: string;

  @Column('text')
  status: WithdrawalStatus;

  @Column({ name: 'tx_hash', type: 'text', nullable: true })
  txHash: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  /** The client's key for this request, unique per user: a retried request returns this withdrawal. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'hold_transaction_id', type: 'uuid' })
  holdTransactionId: string;

  @Column({ name: 'settle_transaction_id', type: 'uuid', nullable: true })
  settleTransactionId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A wallet's total balance (locked included) after one ledger entry (rewards' BalanceChanged). Append-only. */
@Entity({ name: 'balance_checkpoints' })
export class BalanceCheckpointRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** NUMERIC(36,18), read as a decimal string. */
  @Column({ type: 'numeric', precision: 36, scale: 18 })
  balance: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  @Column({ name: 'entry_id', type: 'uuid', unique: true })
  entryId: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The DAO treasury's balance after the latest ledger entry governance has seen (one row, id 1). */
@Entity({ name: 'treasury_balance' })
export class TreasuryBalanceRecord {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'numeric', precision: 36, scale: 18 })
  balance: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;
}

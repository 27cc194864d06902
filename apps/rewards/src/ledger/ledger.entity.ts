import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountKind } from './accounts';
import type { LedgerEntryKind } from './ledger';

/** Read models of the ledger tables. Writes go through `Ledger` only (the tables are append-only). */
@Entity({ name: 'ledger_accounts' })
export class LedgerAccountRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  kind: AccountKind;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @Column({ name: 'may_go_negative', type: 'boolean' })
  mayGoNegative: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'ledger_transactions' })
export class LedgerTransactionRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: LedgerEntryKind;

  @Column('text')
  reason: string;

  @Column('text')
  reference: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'ledger_postings' })
export class LedgerPostingRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ type: 'numeric', precision: 36, scale: 18 })
  amount: string;

  @Column({ name: 'balance_after', type: 'numeric', precision: 36, scale: 18 })
  balanceAfter: string;

  @Column({ name: 'account_seq', type: 'bigint' })
  accountSeq: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

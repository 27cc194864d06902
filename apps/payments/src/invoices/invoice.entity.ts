import { Column, Entity, PrimaryColumn } from 'typeorm';

export type InvoiceStatus = 'SUBMITTED' | 'APPROVED' | 'PAID' | 'FAILED' | 'DISPUTED' | 'VOIDED';

/** A talent's invoice on a contract. Amounts are NUMERIC(20,2) strings; total = subtotal + platformFee. */
@Entity({ name: 'invoices' })
export class InvoiceRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column('text')
  description: string;

  /** NUMERIC(5,2); hourly contracts only. */
  @Column({ type: 'numeric', nullable: true })
  hours: string | null;

  @Column({ type: 'numeric' })
  subtotal: string;

  @Column({ name: 'platform_fee', type: 'numeric' })
  platformFee: string;

  /** NUMERIC(5,4): the rate in force when the invoice was submitted. */
  @Column({ name: 'fee_rate', type: 'numeric' })
  feeRate: string;

  @Column({ type: 'numeric' })
  total: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column('text')
  status: InvoiceStatus;

  @Column({ name: 'provider_reference', type: 'text', nullable: true })
  providerReference: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  /** The subtotal in USD at payments' rate when it was paid (InvoicePaid carries it); null before, or without a rate. */
  @Column({ name: 'subtotal_usd', type: 'numeric', nullable: true })
  subtotalUsd: string | null;

  /** USD per unit of `currency` used for `subtotalUsd`. */
  @Column({ name: 'usd_rate', type: 'numeric', nullable: true })
  usdRate: string | null;
}

export type AttemptStatus = 'PENDING' | 'SUCCEEDED' | 'DECLINED';

/** One approve attempt of an invoice: one idempotency key, at most one provider charge. */
@Entity({ name: 'payment_attempts' })
export class PaymentAttemptRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'numeric' })
  amount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column('text')
  status: AttemptStatus;

  @Column({ name: 'provider_reference', type: 'text', nullable: true })
  providerReference: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An event waiting to be (or already) published. Written in the same transaction as the change that caused it. */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished_idx', ['seq'], { where: 'published_at IS NULL' })
@Index('outbox_parked_idx', ['topic', 'messageKey'], { where: 'parked_at IS NOT NULL AND published_at IS NULL' })
export class OutboxRecord {
  /** The event id. */
  @PrimaryColumn('uuid')
  id: string;

  /** Commit order; the relay publishes in this order, so one aggregate's events stay ordered. */
  @Column({ type: 'bigint', generated: 'increment' })
  seq: string;

  @Column('text')
  topic: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  envelope: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Failed send attempts (transient or not); `lastError` is the latest broker error. */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Set when the broker refused the event for good: the relay skips it, and later events of its key wait behind it. */
  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt: Date | null;

  @Column({ name: 'park_reason', type: 'text', nullable: true })
  parkReason: string | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reward policy: a fixed amount or a rate, seeded by the migration and changed by governance. */
@Entity({ name: 'reward_policies' })
export class RewardPolicyRecord {
  @PrimaryColumn('text')
  key: string;

  @Column('text')
  description: string;

  /** Fixed BTRST amount (decimal string), or null for a rate. */
  @Column({ type: 'numeric', precision: 36, scale: 18, nullable: true })
  amount: string | null;

  /** BTRST per unit of `rateCurrency`, or null for a fixed amount. */
  @Column({ type: 'numeric', precision: 36, scale: 18, nullable: true })
  rate: string | null;

  @Column({ name: 'rate_currency', type: 'char', length: 3, nullable: true })
  rateCurrency: string | null;

  @Column('boolean')
  active: boolean;

  /** Caps (BTRST; null = none): per grant, per beneficiary per UTC day and month, per source (e.g. one referral). */
  @Column({ name: 'cap_per_grant', type: 'numeric', precision: 36, scale: 18, nullable: true })
  capPerGrant: string | null;

  @Column({ name: 'cap_per_beneficiary_day', type: 'numeric', precision: 36, scale: 18, nullable: true })
  capPerBeneficiaryDay: string | null;

  @Column({ name: 'cap_per_beneficiary_month', type: 'numeric', precision: 36, scale: 18, nullable: true })
  capPerBeneficiaryMonth: string | null;

  @Column({ name: 'cap_per_source', type: 'numeric', precision: 36, scale: 18, nullable: true })
  capPerSource: string | null;

  /** Days after a source's start (a referral's qualification) during which it earns; null = no limit. */
  @Column({ name: 'earning_window_days', type: 'integer', nullable: true })
  earningWindowDays: number | null;

  /** Paid invoices (USD) a contract must reach before a rating reward pays; null = none. */
  @Column({ name: 'min_paid_usd', type: 'numeric', precision: 20, scale: 2, nullable: true })
  minPaidUsd: string | null;

  /** One grant ever per reference, whoever the beneficiary (screening pays for the first decision on a talent). */
  @Column({ name: 'once_per_reference', type: 'boolean' })
  oncePerReference: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

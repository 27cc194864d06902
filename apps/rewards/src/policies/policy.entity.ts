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

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

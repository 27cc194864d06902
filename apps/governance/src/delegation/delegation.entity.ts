import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The delegator's choice from `fromTime` on (until their next row). Append-only. */
@Entity({ name: 'delegations' })
export class DelegationRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'delegator_id', type: 'uuid' })
  delegatorId: string;

  /** Null: the delegator votes with their own power (delegated to themselves). */
  @Column({ name: 'delegatee_id', type: 'uuid', nullable: true })
  delegateeId: string | null;

  @Column({ name: 'from_time', type: 'timestamptz' })
  fromTime: Date;
}

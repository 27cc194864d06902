import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RateUnit } from '@talent/platform';

export type ContractStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED';

/**
 * A contract as payments knows it: projected from jobs' ContractStarted / ContractCompleted
 * events (payments never reads jobs' database).
 */
@Entity({ name: 'contracts' })
export class ContractRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  /** NUMERIC(20,2). */
  @Column({ type: 'numeric' })
  rate: string;

  @Column({ name: 'rate_unit', type: 'text' })
  unit: RateUnit;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column('text')
  status: ContractStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}

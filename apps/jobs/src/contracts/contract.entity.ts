import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RateUnit } from '@talent/platform';

export type ContractStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED';

/** A hire: one per job, from one application. */
@Entity({ name: 'contracts' })
export class ContractRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  /** NUMERIC(20,2): the application's proposed rate. */
  @Column({ type: 'numeric' })
  rate: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'rate_unit', type: 'text' })
  rateUnit: RateUnit;

  /** NUMERIC(20,2): rate x hoursPerWeek x durationWeeks (hourly) or the rate (fixed). */
  @Column({ name: 'estimated_value', type: 'numeric' })
  estimatedValue: string;

  @Column('text')
  status: ContractStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}

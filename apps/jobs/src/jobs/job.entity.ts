import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RateUnit } from '@talent/platform';

export type JobStatus = 'OPEN' | 'CLOSED' | 'FILLED';

/**
 * A job (the "ask"). The table also has `search`, a generated tsvector over title and
 * description for full-text search; it is not mapped, so it is never written.
 */
@Entity({ name: 'jobs' })
export class JobRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  /** As given by the client: jobs learns nothing of organizations (identity resolves it). */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  /** Normalised: trimmed, lower-case, unique. */
  @Column({ type: 'text', array: true })
  skills: string[];

  @Column({ name: 'min_years_experience', type: 'int' })
  minYearsExperience: number;

  /** ISO 3166-1 alpha-2; empty means anywhere. */
  @Column({ type: 'text', array: true })
  countries: string[];

  /** NUMERIC(20,2), read as a decimal string. */
  @Column({ name: 'budget_min', type: 'numeric' })
  budgetMin: string;

  @Column({ name: 'budget_max', type: 'numeric' })
  budgetMax: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'rate_unit', type: 'text' })
  rateUnit: RateUnit;

  /** Whole percent (0..50) the client accepts above budgetMax; 0 means the budget is the limit (see rate-terms). */
  @Column({ name: 'rate_tolerance_percent', type: 'int' })
  rateTolerancePercent: number;

  @Column({ name: 'hours_per_week', type: 'int' })
  hoursPerWeek: number;

  @Column({ name: 'duration_weeks', type: 'int' })
  durationWeeks: number;

  @Column('text')
  status: JobStatus;

  /** Millisecond precision (timestamptz(3)), so that pagination cursors round-trip exactly. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobStatus = 'OPEN' | 'CLOSED' | 'FILLED';

/** Matching's projection of a job, from JobPosted and JobClosed. */
@Entity({ name: 'jobs' })
export class JobRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column('text')
  title: string;

  @Column({ type: 'text', array: true })
  skills: string[];

  @Column({ type: 'text', array: true })
  countries: string[];

  @Column({ name: 'min_years_experience', type: 'integer' })
  minYearsExperience: number;

  @Column('text')
  currency: string;

  @Column({ name: 'budget_min', type: 'numeric' })
  budgetMin: string;

  @Column({ name: 'budget_max', type: 'numeric' })
  budgetMax: string;

  @Column({ name: 'budget_unit', type: 'text' })
  budgetUnit: 'HOURLY' | 'FIXED';

  @Column({ name: 'hours_per_week', type: 'integer' })
  hoursPerWeek: number;

  @Column({ name: 'duration_weeks', type: 'integer' })
  durationWeeks: number;

  @Column({ name: 'rate_factor', type: 'integer' })
  rateFactor: number;

  @Column({ name: 'rate_cap', type: 'float8' })
  rateCap: number;

  @Column('text')
  status: JobStatus;

  @Column({ name: 'posted_at', type: 'timestamptz' })
  postedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'match_count', type: 'integer' })
  matchCount: number;

  @Column({ name: 'min_match_score', type: 'float8', nullable: true })
  minMatchScore: number | null;

  @Column({ name: 'first_match_at', type: 'timestamptz', nullable: true })
  firstMatchAt: Date | null;

  @Column({ name: 'ranked_at', type: 'timestamptz', nullable: true })
  rankedAt: Date | null;
}

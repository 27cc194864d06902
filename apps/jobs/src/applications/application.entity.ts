import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApplicationStatus } from './application-status';

/** A talent's bid on a job. Its status only changes through the transition table (application-status.ts). */
@Entity({ name: 'applications' })
export class ApplicationRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'cover_letter', type: 'text' })
  coverLetter: string;

  /** NUMERIC(20,2), in the job's budget currency. */
  @Column({ name: 'proposed_rate', type: 'numeric' })
  proposedRate: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** BTRST, NUMERIC(38,18); null when nothing is staked. */
  @Column({ type: 'numeric', nullable: true })
  stake: string | null;

  @Column('text')
  status: ApplicationStatus;

  /** Why a final status was reached: HIRED, JOB_FILLED, JOB_CLOSED, NO_SHOW, WITHDRAWN, STAKE_REJECTED. */
  @Column({ name: 'resolution_reason', type: 'text', nullable: true })
  resolutionReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;
}

/** One recorded interview of an application (the history behind INTERVIEWING and NO_SHOW declines). */
@Entity({ name: 'interviews' })
export class InterviewRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column('text')
  outcome: 'ATTENDED' | 'NO_SHOW';

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

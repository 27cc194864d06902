import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who applied to which job, and when (jobs' ApplicationSubmitted): a job referral must come
 * before the application, so referTalentToJob refuses one for a talent already seen applying.
 * The projection can lag; qualification checks again on ContractStarted.appliedAt.
 */
@Entity({ name: 'applications' })
export class KnownApplicationRecord {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @PrimaryColumn({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;
}

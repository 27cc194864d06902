import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReferralLifecycleColumns } from '../shared/referral-lifecycle.columns';
import type { ReferralRef } from '../shared/referral.types';

/** A member referred a talent to a job. One per job and talent. */
@Entity({ name: 'job_referrals' })
export class JobReferralRecord extends ReferralLifecycleColumns {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ name: 'connector_id', type: 'uuid' })
  connectorId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}

/** A job referral always refers a talent: its kind is TALENT. */
export const jobReferralRef = (r: JobReferralRecord): ReferralRef => ({
  id: r.id,
  type: 'JOB',
  kind: 'TALENT',
  connectorId: r.connectorId,
  referredUserId: r.talentId,
  status: r.status,
});

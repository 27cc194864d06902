import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KnownJobRecord } from '../projections/known-job.entity';
import { JobReferralRecord } from './job-referral.entity';

@Injectable()
export class JobReferralsService {
  constructor(private readonly dataSource: DataSource) {}

  /** The job referrals the connector made, newest first. */
  forConnector(connectorId: string): Promise<JobReferralRecord[]> {
    return this.dataSource.getRepository(JobReferralRecord).find({ where: { connectorId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** A job's referrals, newest first, and its client (null when the job was never seen posted). */
  async forJob(jobId: string): Promise<{ clientId: string | null; referrals: JobReferralRecord[] }> {
    const [job, referrals] = await Promise.all([
      this.dataSource.getRepository(KnownJobRecord).findOneBy({ id: jobId }),
      this.dataSource.getRepository(JobReferralRecord).find({ where: { jobId }, order: { createdAt: 'DESC', id: 'DESC' } }),
    ]);
    return { clientId: job?.clientId ?? null, referrals };
  }
}

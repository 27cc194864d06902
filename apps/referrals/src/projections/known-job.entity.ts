import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobStatus = 'OPEN' | 'CLOSED' | 'FILLED';

/** Jobs as far as referrals needs them (jobs' JobPosted and JobClosed): who the client is, and whether it is open. */
@Entity({ name: 'jobs' })
export class KnownJobRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column('text')
  status: JobStatus;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

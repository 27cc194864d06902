import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A proposed talent for a job, at a rank. A job's matches are replaced as a whole when it is re-ranked. */
@Entity({ name: 'matches' })
export class MatchRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column('float8')
  score: number;

  @Column('integer')
  rank: number;

  @Column({ type: 'text', array: true })
  reasons: string[];

  /** When this talent was first proposed for this job. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

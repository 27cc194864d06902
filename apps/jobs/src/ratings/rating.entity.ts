import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RateeRole = 'TALENT' | 'CLIENT';

/** One side's rating of the other on a completed contract; each side rates once. */
@Entity({ name: 'ratings' })
export class RatingRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'rater_id', type: 'uuid' })
  raterId: string;

  @Column({ name: 'ratee_id', type: 'uuid' })
  rateeId: string;

  @Column({ name: 'ratee_role', type: 'text' })
  rateeRole: RateeRole;

  @Column('smallint')
  stars: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

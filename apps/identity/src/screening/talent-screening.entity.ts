import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One inspector's screening decision about a talent (the history behind User.screeningStatus). */
@Entity({ name: 'talent_screenings' })
export class TalentScreeningRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'talent_id', type: 'uuid' })
  talentId: string;

  @Column({ name: 'inspector_id', type: 'uuid' })
  inspectorId: string;

  @Column('text')
  decision: 'APPROVED' | 'REJECTED';

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

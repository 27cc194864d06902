import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'organizations' })
export class OrganizationRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'organization_members' })
export class OrganizationMemberRecord {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** OWNER for the creator, MEMBER otherwise. */
  @Column('text')
  role: 'OWNER' | 'MEMBER';

  @Column({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;
}

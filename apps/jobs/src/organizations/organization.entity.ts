import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organization as jobs knows it: projected from identity's OrganizationCreated (jobs never reads identity's database). */
@Entity({ name: 'organizations' })
export class OrganizationRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

/** Who may post jobs under an organization. */
@Entity({ name: 'organization_members' })
export class OrganizationMemberRecord {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column('text')
  role: 'OWNER' | 'MEMBER';
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@talent/events';

/** The users referrals knows of, projected from identity's UserRegistered and RoleGranted. */
@Entity({ name: 'users' })
export class KnownUserRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;
}

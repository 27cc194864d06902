import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@talent/events';

export type KycStatus = 'NOT_STARTED' | 'PENDING' | 'APPROVED' | 'REJECTED';
export type ScreeningStatus = 'NOT_SCREENED' | 'APPROVED' | 'REJECTED';

@Entity({ name: 'users' })
export class UserRecord {
  @PrimaryColumn('uuid')
  id: string;

  /** Stored lower-cased; unique. */
  @Column('text')
  email: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ name: 'kyc_status', type: 'text' })
  kycStatus: KycStatus;

  @Column({ name: 'screening_status', type: 'text' })
  screeningStatus: ScreeningStatus;

  /** The referral code given at signup, if any (referrals resolves it). */
  @Column({ name: 'referral_code', type: 'text', nullable: true })
  referralCode: string | null;

  /** Set by an admin: the account can neither sign in nor refresh, and its tokens are revoked. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

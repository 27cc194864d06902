import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member's own referral code, issued when KYC is approved. */
@Entity({ name: 'referral_codes' })
export class ReferralCodeRecord {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** 8 characters of Crockford base32, upper case; unique. */
  @Column('text')
  code: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

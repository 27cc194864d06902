import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReferralKind, ReferralType } from '../shared/referral.types';

/**
 * A referral that qualified on a hire and may be paid. Unique per referral, per referred user
 * and kind (rewards only once), and per contract and kind (one connector per contract side).
 */
@Entity({ name: 'qualifications' })
export class QualificationRecord {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId: string;

  @Column({ name: 'referral_type', type: 'text' })
  referralType: ReferralType;

  @Column('text')
  kind: ReferralKind;

  @Column({ name: 'connector_id', type: 'uuid' })
  connectorId: string;

  @Column({ name: 'referred_user_id', type: 'uuid' })
  referredUserId: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'contract_value', type: 'numeric' })
  contractValue: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'contract_started_at', type: 'timestamptz' })
  contractStartedAt: Date;

  @Column({ name: 'qualified_at', type: 'timestamptz' })
  qualifiedAt: Date;
}

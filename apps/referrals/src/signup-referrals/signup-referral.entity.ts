import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReferralLifecycleColumns } from '../shared/referral-lifecycle.columns';
import type { ReferralKind, ReferralRef } from '../shared/referral.types';

/** A signup made with a connector's referral code. One per referred user. */
@Entity({ name: 'referrals' })
export class SignupReferralRecord extends ReferralLifecycleColumns {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'connector_id', type: 'uuid' })
  connectorId: string;

  @Column({ name: 'referred_user_id', type: 'uuid' })
  referredUserId: string;

  @Column('text')
  kind: ReferralKind;

  /** The code used at signup (normalised). */
  @Column('text')
  code: string;
}

export const signupReferralRef = (r: SignupReferralRecord): ReferralRef => ({
  id: r.id,
  type: 'SIGNUP',
  kind: r.kind,
  connectorId: r.connectorId,
  referredUserId: r.referredUserId,
  status: r.status,
});

import type { EntityManager } from 'typeorm';
import { JobReferralRecord, jobReferralRef } from '../job-referrals/job-referral.entity';
import { SignupReferralRecord, signupReferralRef } from '../signup-referrals/signup-referral.entity';
import type { InvalidReason, ReferralRef, ReferralStatus, ReferralType } from './referral.types';

export interface ReferralChanges {
  status: ReferralStatus;
  invalidReason?: InvalidReason | null;
  rewardAmount?: string | null;
}

const entityOf = (type: ReferralType) => (type === 'SIGNUP' ? SignupReferralRecord : JobReferralRecord);

/** Changes the lifecycle of a referral, in whichever table it lives. */
export async function updateReferral(tx: EntityManager, ref: Pick<ReferralRef, 'id' | 'type'>, changes: ReferralChanges): Promise<void> {
  await tx.getRepository(entityOf(ref.type)).update({ id: ref.id }, { ...changes, updatedAt: new Date() });
}

/** A signup or job referral by id (ids are UUIDs, unique across both tables in practice). */
export async function findReferral(tx: EntityManager, id: string): Promise<ReferralRef | null> {
  const signup = await tx.getRepository(SignupReferralRecord).findOneBy({ id });
  if (signup) return signupReferralRef(signup);
  const job = await tx.getRepository(JobReferralRecord).findOneBy({ id });
  return job ? jobReferralRef(job) : null;
}

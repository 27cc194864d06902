import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A referral was refused by a fraud rule; it never pays. */
export const ReferralInvalidated = defineEvent({
  type: 'ReferralInvalidated',
  version: 1,
  topic: Topics.referrals,
  source: 'referrals',
  schema: z.object({
    referralId: z.uuid(),
    referralType: z.enum(['SIGNUP', 'JOB']),
    connectorId: z.uuid(),
    referredUserId: z.uuid(),
    reason: z.enum(['SELF_REFERRAL', 'REFERRAL_RING', 'ALREADY_REWARDED', 'DAILY_CAP', 'NOT_A_MEMBER', 'REFERRED_AFTER_APPLICATION']),
    invalidatedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.referralId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema, RoleSchema } from '../common';
import { Topics } from '../topics';

/** A new account. Carries no email: other services know users by id only. */
export const UserRegistered = defineEvent({
  type: 'UserRegistered',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    userId: z.uuid(),
    roles: z.array(RoleSchema).min(1),
    /** The referral code given at signup, as typed (normalised to upper case); referrals resolves it. */
    referralCode: z.string().nullable(),
    registeredAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.userId,
});

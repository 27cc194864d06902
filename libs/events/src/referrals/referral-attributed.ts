import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A signup was attributed to the connector whose referral code was used. */
export const ReferralAttributed = defineEvent({
  type: 'ReferralAttributed',
  version: 1,
  topic: Topics.referrals,
  source: 'referrals',
  schema: z.object({
    referralId: z.uuid(),
    connectorId: z.uuid(),
    referredUserId: z.uuid(),
    kind: z.enum(['TALENT', 'CLIENT']),
    attributedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.referralId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/**
 * Partner projection of RewardGranted on `public.rewards.v1`: what was paid under which
 * policy, never to whom (no user ids, names or emails).
 */
export const PublicRewardGranted = defineEvent({
  type: 'reward.granted',
  version: 1,
  topic: Topics.publicRewards,
  source: 'rewards',
  schema: z.object({
    grantId: z.uuid(),
    policy: z.string(),
    amount: DecimalStringSchema,
    grantedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.grantId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The stake could not be locked; jobs marks the application REJECTED. */
export const StakeRejected = defineEvent({
  type: 'StakeRejected',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    applicationId: z.uuid(),
    talentId: z.uuid(),
    amount: DecimalStringSchema,
    reason: z.enum(['INSUFFICIENT_FUNDS', 'NOT_A_MEMBER', 'INVALID_AMOUNT']),
    rejectedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

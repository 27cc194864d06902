import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A member asked to move BTRST to an external address; the amount is held until sent or failed. */
export const WithdrawalRequested = defineEvent({
  type: 'WithdrawalRequested',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    withdrawalId: z.uuid(),
    userId: z.uuid(),
    amount: DecimalStringSchema,
    toAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    requestedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.withdrawalId,
});

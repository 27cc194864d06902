import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The chain adapter sent a withdrawal (or it failed and the funds went back). */
export const WithdrawalSent = defineEvent({
  type: 'WithdrawalSent',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    withdrawalId: z.uuid(),
    userId: z.uuid(),
    amount: DecimalStringSchema,
    status: z.enum(['SENT', 'FAILED']),
    txHash: z.string().nullable(),
    sentAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.withdrawalId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A wallet's balance after one ledger entry: governance builds voting-power checkpoints from it. */
export const BalanceChanged = defineEvent({
  type: 'BalanceChanged',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    userId: z.uuid(),
    /** Total held, locked included. */
    balance: DecimalStringSchema,
    locked: DecimalStringSchema,
    entryId: z.uuid(),
    changedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.userId,
});

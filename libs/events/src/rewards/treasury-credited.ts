import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** BTRST entered the DAO treasury (a slashed stake, or fees converted to BTRST). */
export const TreasuryCredited = defineEvent({
  type: 'TreasuryCredited',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    entryId: z.uuid(),
    amount: DecimalStringSchema,
    source: z.enum(['STAKE_SLASH', 'FEE_CONVERSION']),
    reference: z.string(),
    creditedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.entryId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A no-show forfeited the stake to the DAO treasury. */
export const StakeSlashed = defineEvent({
  type: 'StakeSlashed',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    applicationId: z.uuid(),
    talentId: z.uuid(),
    amount: DecimalStringSchema,
    slashedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

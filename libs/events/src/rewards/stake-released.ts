import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A stake went back to the talent's available balance when the application resolved. */
export const StakeReleased = defineEvent({
  type: 'StakeReleased',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    applicationId: z.uuid(),
    talentId: z.uuid(),
    amount: DecimalStringSchema,
    releasedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

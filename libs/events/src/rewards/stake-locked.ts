import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The stake of an application is held from the talent's available balance; jobs moves it to SUBMITTED. */
export const StakeLocked = defineEvent({
  type: 'StakeLocked',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    applicationId: z.uuid(),
    talentId: z.uuid(),
    amount: DecimalStringSchema,
    lockedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/**
 * A talent applied. With a stake the application waits in PENDING_STAKE until rewards
 * locks the BTRST (StakeLocked) or refuses it (StakeRejected).
 */
export const ApplicationSubmitted = defineEvent({
  type: 'ApplicationSubmitted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    applicationId: z.uuid(),
    jobId: z.uuid(),
    talentId: z.uuid(),
    clientId: z.uuid(),
    proposedRate: MoneySchema,
    /** BTRST, decimal string; null when nothing is staked. */
    stake: DecimalStringSchema.nullable(),
    submittedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

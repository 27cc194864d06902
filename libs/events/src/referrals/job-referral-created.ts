import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A member referred a talent to a job. */
export const JobReferralCreated = defineEvent({
  type: 'JobReferralCreated',
  version: 1,
  topic: Topics.referrals,
  source: 'referrals',
  schema: z.object({
    jobReferralId: z.uuid(),
    jobId: z.uuid(),
    connectorId: z.uuid(),
    talentId: z.uuid(),
    createdAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobReferralId,
});

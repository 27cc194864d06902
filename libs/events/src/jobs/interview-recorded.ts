import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The client recorded an interview. NO_SHOW declines the application and lets rewards slash its stake. */
export const InterviewRecorded = defineEvent({
  type: 'InterviewRecorded',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    applicationId: z.uuid(),
    jobId: z.uuid(),
    talentId: z.uuid(),
    outcome: z.enum(['ATTENDED', 'NO_SHOW']),
    stake: DecimalStringSchema.nullable(),
    recordedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

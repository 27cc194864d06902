import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** An application reached a final state; a stake it held is released (or was slashed on NO_SHOW). */
export const ApplicationResolved = defineEvent({
  type: 'ApplicationResolved',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    applicationId: z.uuid(),
    jobId: z.uuid(),
    talentId: z.uuid(),
    status: z.enum(['HIRED', 'DECLINED', 'WITHDRAWN', 'REJECTED']),
    /** Why it ended, e.g. NO_SHOW, JOB_CLOSED, STAKE_REJECTED, CLIENT_DECLINED, WITHDRAWN, HIRED. */
    reason: z.string(),
    stake: DecimalStringSchema.nullable(),
    resolvedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.applicationId,
});

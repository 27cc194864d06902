import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** A job stopped taking applications: closed by its client, or filled by a hire. */
export const JobClosed = defineEvent({
  type: 'JobClosed',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    jobId: z.uuid(),
    clientId: z.uuid(),
    status: z.enum(['CLOSED', 'FILLED']),
    closedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobId,
});

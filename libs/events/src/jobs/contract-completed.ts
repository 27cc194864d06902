import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

export const ContractCompleted = defineEvent({
  type: 'ContractCompleted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    contractId: z.uuid(),
    jobId: z.uuid(),
    clientId: z.uuid(),
    talentId: z.uuid(),
    completedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

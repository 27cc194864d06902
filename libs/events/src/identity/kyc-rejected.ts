import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The reviewer's free-text reason stays in identity: it may quote personal data. */
export const KycRejected = defineEvent({
  type: 'KycRejected',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    caseId: z.uuid(),
    userId: z.uuid(),
    reviewerId: z.uuid(),
    rejectedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.userId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { CountryCodeSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** The user is now a member: they may post, apply, refer, earn and vote. */
export const KycApproved = defineEvent({
  type: 'KycApproved',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    caseId: z.uuid(),
    userId: z.uuid(),
    reviewerId: z.uuid(),
    country: CountryCodeSchema,
    approvedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.userId,
});

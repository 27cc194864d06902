import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** One side rated the other on a completed contract. 5 stars earn the ratee `rating.five_star`. */
export const RatingSubmitted = defineEvent({
  type: 'RatingSubmitted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    ratingId: z.uuid(),
    contractId: z.uuid(),
    raterId: z.uuid(),
    rateeId: z.uuid(),
    /** Whether the ratee was the talent or the client of the contract. */
    rateeRole: z.enum(['TALENT', 'CLIENT']),
    stars: z.number().int().min(1).max(5),
    /** The ratee's reputation after this rating, so consumers need no other source. */
    rateeAverageRating: z.number().min(1).max(5),
    rateeRatingsCount: z.number().int().positive(),
    submittedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

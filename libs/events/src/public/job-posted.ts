import { z } from 'zod';
import { defineEvent } from '../envelope';
import { CountryCodeSchema, CurrencySchema, DecimalStringSchema, IsoDateTimeSchema, RateUnitSchema } from '../common';
import { Topics } from '../topics';

/**
 * Partner projection of JobPosted on `public.jobs.v1`: stable and PII-free (no client or
 * organization identity, no description), documented for partner nodes.
 */
export const PublicJobPosted = defineEvent({
  type: 'job.posted',
  version: 1,
  topic: Topics.publicJobs,
  source: 'jobs',
  schema: z.object({
    jobId: z.uuid(),
    title: z.string(),
    skills: z.array(z.string()),
    countries: z.array(CountryCodeSchema),
    budget: z.object({ min: DecimalStringSchema, max: DecimalStringSchema, currency: CurrencySchema, unit: RateUnitSchema }),
    hoursPerWeek: z.number().int().positive(),
    durationWeeks: z.number().int().positive(),
    postedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobId,
});

/** Partner projection of JobClosed on `public.jobs.v1`. */
export const PublicJobClosed = defineEvent({
  type: 'job.closed',
  version: 1,
  topic: Topics.publicJobs,
  source: 'jobs',
  schema: z.object({ jobId: z.uuid(), status: z.enum(['CLOSED', 'FILLED']), closedAt: IsoDateTimeSchema }),
  aggregateIdOf: (p) => p.jobId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { CountryCodeSchema, CurrencySchema, DecimalStringSchema, IsoDateTimeSchema, RateUnitSchema } from '../common';
import { Topics } from '../topics';

/** A client opened a job (the "ask"). Matching ranks talent for it within seconds. */
export const JobPosted = defineEvent({
  type: 'JobPosted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    jobId: z.uuid(),
    clientId: z.uuid(),
    organizationId: z.uuid().nullable(),
    title: z.string(),
    /** Normalised: trimmed, lower-case, unique. */
    skills: z.array(z.string()).min(1),
    minYearsExperience: z.number().int().min(0),
    /** ISO 3166-1 alpha-2; empty means anywhere. */
    countries: z.array(CountryCodeSchema),
    budget: z.object({ min: DecimalStringSchema, max: DecimalStringSchema, currency: CurrencySchema, unit: RateUnitSchema }),
    hoursPerWeek: z.number().int().positive(),
    durationWeeks: z.number().int().positive(),
    postedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobId,
});

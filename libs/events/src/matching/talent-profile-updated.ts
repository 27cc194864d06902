import { z } from 'zod';
import { defineEvent } from '../envelope';
import { CountryCodeSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/** A talent created or changed their profile (the "bid"). */
export const TalentProfileUpdated = defineEvent({
  type: 'TalentProfileUpdated',
  version: 1,
  topic: Topics.matching,
  source: 'matching',
  schema: z.object({
    talentId: z.uuid(),
    skills: z.array(z.string()),
    yearsExperience: z.number().int().min(0),
    hourlyRate: MoneySchema,
    country: CountryCodeSchema,
    hoursPerWeek: z.number().int().positive(),
    openToWork: z.boolean(),
    updatedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.talentId,
});

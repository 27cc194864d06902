import { z } from 'zod';
import { defineEvent } from '../envelope';
import { CountryCodeSchema } from '../common';
import { Topics } from '../topics';

/** A KYC case was opened. Never carries the legal name, document number or date of birth. */
export const KycSubmitted = defineEvent({
  type: 'KycSubmitted',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    caseId: z.uuid(),
    userId: z.uuid(),
    country: CountryCodeSchema,
    documentType: z.enum(['PASSPORT', 'ID_CARD', 'DRIVERS_LICENSE']),
  }),
  aggregateIdOf: (p) => p.userId,
});

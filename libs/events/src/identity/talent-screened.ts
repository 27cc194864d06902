import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/** Peer screening of a talent by an inspector; the inspector's notes stay in identity. */
export const TalentScreened = defineEvent({
  type: 'TalentScreened',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    screeningId: z.uuid(),
    talentId: z.uuid(),
    inspectorId: z.uuid(),
    decision: z.enum(['APPROVED', 'REJECTED']),
    screenedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.talentId,
});

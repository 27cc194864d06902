import { z } from 'zod';
import { defineEvent } from '../envelope';
import { RoleSchema } from '../common';
import { Topics } from '../topics';

export const RoleGranted = defineEvent({
  type: 'RoleGranted',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    userId: z.uuid(),
    role: RoleSchema,
    /** Null when granted by the bootstrap at start-up. */
    grantedBy: z.uuid().nullable(),
  }),
  aggregateIdOf: (p) => p.userId,
});

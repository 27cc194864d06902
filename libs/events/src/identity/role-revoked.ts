import { z } from 'zod';
import { defineEvent } from '../envelope';
import { RoleSchema } from '../common';
import { Topics } from '../topics';

/** An admin took a role back (the counterpart of RoleGranted); the user's tokens carrying it are revoked. */
export const RoleRevoked = defineEvent({
  type: 'RoleRevoked',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    userId: z.uuid(),
    role: RoleSchema,
    revokedBy: z.uuid(),
  }),
  aggregateIdOf: (p) => p.userId,
});

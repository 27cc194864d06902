import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/**
 * A new organization, with its creator as owner and only member. Jobs projects it to decide
 * who may post under the organization. Carries no name: other services know organizations by
 * id (identity resolves the rest). Membership cannot change yet; when it can, an
 * OrganizationMemberAdded/Removed pair joins this event, keyed by the organization too.
 */
export const OrganizationCreated = defineEvent({
  type: 'OrganizationCreated',
  version: 1,
  topic: Topics.identity,
  source: 'identity',
  schema: z.object({
    organizationId: z.uuid(),
    ownerId: z.uuid(),
    createdAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.organizationId,
});

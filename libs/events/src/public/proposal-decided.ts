import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/**
 * Partner projection of a proposal's outcome on `public.governance.v1`: what was decided, by how
 * much voting power, never who proposed or voted.
 */
export const PublicProposalDecided = defineEvent({
  type: 'proposal.decided',
  version: 1,
  topic: Topics.publicGovernance,
  source: 'governance',
  schema: z.object({
    proposalId: z.uuid(),
    kind: z.enum(['TEXT', 'PARAMETER_CHANGE', 'GRANT']),
    title: z.string(),
    outcome: z.enum(['DEFEATED', 'QUEUED', 'EXECUTED', 'CANCELED', 'EXPIRED']),
    parameterChanges: z.array(z.object({ key: z.string(), value: z.string() })),
    grantAmount: DecimalStringSchema.nullable(),
    forVotes: DecimalStringSchema,
    againstVotes: DecimalStringSchema,
    abstainVotes: DecimalStringSchema,
    quorum: DecimalStringSchema,
    decidedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.proposalId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

const DisputeDecisionSchema = z.enum(['FOR_TALENT', 'FOR_CLIENT']);

/** A party of a contract opened a dispute: payments holds the contract's unpaid invoices (DISPUTED). The reason stays in governance. */
export const DisputeOpened = defineEvent({
  type: 'DisputeOpened',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    disputeId: z.uuid(),
    contractId: z.uuid(),
    openedBy: z.uuid(),
    talentId: z.uuid(),
    clientId: z.uuid(),
    openedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

/** A juror was drawn (weighted by voting power, from the dispute's recorded seed), or drawn to replace one who did not vote in time. */
export const JurorDrawn = defineEvent({
  type: 'JurorDrawn',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    disputeId: z.uuid(),
    contractId: z.uuid(),
    jurorId: z.uuid(),
    seat: z.number().int().min(1),
    replaces: z.uuid().nullable(),
    voteBy: IsoDateTimeSchema,
    drawnAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

/**
 * The jury decided. FOR_TALENT: payments releases the disputed invoices (they can be approved
 * and charged); FOR_CLIENT: payments voids them. Rewards pays `jury.reward` to each juror of
 * the majority, once per dispute and juror.
 */
export const DisputeResolved = defineEvent({
  type: 'DisputeResolved',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    disputeId: z.uuid(),
    contractId: z.uuid(),
    decision: DisputeDecisionSchema,
    majorityJurorIds: z.array(z.uuid()),
    resolvedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

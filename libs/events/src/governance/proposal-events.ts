import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

const ProposalKindSchema = z.enum(['TEXT', 'PARAMETER_CHANGE', 'GRANT']);
const VoteSupportSchema = z.enum(['FOR', 'AGAINST', 'ABSTAIN']);
const ParameterChangeSchema = z.object({ key: z.string(), value: z.string() });

/** A member with enough voting power proposed; voting power is read at `snapshotAt`. */
export const ProposalCreated = defineEvent({
  type: 'ProposalCreated',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    proposalId: z.uuid(),
    proposerId: z.uuid(),
    kind: ProposalKindSchema,
    title: z.string(),
    parameterChanges: z.array(ParameterChangeSchema),
    grant: z.object({ recipientId: z.uuid(), amount: DecimalStringSchema }).nullable(),
    snapshotAt: IsoDateTimeSchema,
    startsAt: IsoDateTimeSchema,
    endsAt: IsoDateTimeSchema,
    /** Votes (FOR + ABSTAIN) needed: quorumFraction x the total voting power at snapshotAt. */
    quorum: DecimalStringSchema,
    createdAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.proposalId,
});

/** A member voted with their voting power at the proposal's snapshot. */
export const VoteCast = defineEvent({
  type: 'VoteCast',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    voteId: z.uuid(),
    proposalId: z.uuid(),
    voterId: z.uuid(),
    support: VoteSupportSchema,
    weight: DecimalStringSchema,
    castAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.proposalId,
});

const TallySchema = z.object({
  forVotes: DecimalStringSchema,
  againstVotes: DecimalStringSchema,
  abstainVotes: DecimalStringSchema,
  quorum: DecimalStringSchema,
});

/** Voting ended without a majority FOR or without quorum. */
export const ProposalDefeated = defineEvent({
  type: 'ProposalDefeated',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: TallySchema.extend({ proposalId: z.uuid(), defeatedAt: IsoDateTimeSchema }),
  aggregateIdOf: (p) => p.proposalId,
});

/** Voting succeeded; executable from `executableAt` (the timelock) until `expiresAt` (the grace period). */
export const ProposalQueued = defineEvent({
  type: 'ProposalQueued',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: TallySchema.extend({ proposalId: z.uuid(), queuedAt: IsoDateTimeSchema, executableAt: IsoDateTimeSchema, expiresAt: IsoDateTimeSchema }),
  aggregateIdOf: (p) => p.proposalId,
});

/** Executed once: its ParameterChanged / GrantApproved were emitted in the same transaction. */
export const ProposalExecuted = defineEvent({
  type: 'ProposalExecuted',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({ proposalId: z.uuid(), kind: ProposalKindSchema, executedBy: z.uuid(), executedAt: IsoDateTimeSchema }),
  aggregateIdOf: (p) => p.proposalId,
});

/** Canceled by its proposer before execution, or by an ADMIN guardian while queued (with a reason). */
export const ProposalCanceled = defineEvent({
  type: 'ProposalCanceled',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({
    proposalId: z.uuid(),
    canceledBy: z.uuid(),
    byGuardian: z.boolean(),
    reason: z.string().nullable(),
    canceledAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.proposalId,
});

/** An executed GRANT proposal: rewards pays `amount` BTRST from the DAO treasury to the recipient, once per proposal. */
export const GrantApproved = defineEvent({
  type: 'GrantApproved',
  version: 1,
  topic: Topics.governance,
  source: 'governance',
  schema: z.object({ proposalId: z.uuid(), recipientId: z.uuid(), amount: DecimalStringSchema, approvedAt: IsoDateTimeSchema }),
  aggregateIdOf: (p) => p.proposalId,
});

import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema } from '../common';
import { Topics } from '../topics';

/**
 * The DAO treasury's balance after one ledger entry (a slashed stake, a fee buyback, a grant
 * paid): governance keeps it to refuse GRANT proposals larger than the treasury. Ordered by the
 * ledger entry's time; a late, older one never overrides a newer one.
 */
export const TreasuryBalanceChanged = defineEvent({
  type: 'TreasuryBalanceChanged',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    entryId: z.uuid(),
    balance: DecimalStringSchema,
    delta: DecimalStringSchema,
    reason: z.enum(['STAKE_SLASH', 'FEE_CONVERSION', 'GRANT']),
    changedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: () => 'treasury',
});

/** A GRANT proposal's amount was paid from the treasury to the recipient's wallet (once per proposal), or refused with a reason. */
export const GrantPaid = defineEvent({
  type: 'GrantPaid',
  version: 1,
  topic: Topics.rewards,
  source: 'rewards',
  schema: z.object({
    proposalId: z.uuid(),
    recipientId: z.uuid(),
    amount: DecimalStringSchema,
    status: z.enum(['PAID', 'REFUSED']),
    refusalReason: z.string().nullable(),
    entryId: z.uuid().nullable(),
    paidAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.proposalId,
});

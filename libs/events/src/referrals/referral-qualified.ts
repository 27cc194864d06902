import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/**
 * A referral led to a hire: QUALIFIED, nothing paid yet. Rewards pays the connector as the
 * contract's invoices are paid (InvoicePaid), within the policy's earning window and caps.
 */
export const ReferralQualified = defineEvent({
  type: 'ReferralQualified',
  version: 1,
  topic: Topics.referrals,
  source: 'referrals',
  schema: z.object({
    referralId: z.uuid(),
    /** SIGNUP (a referred signup was hired or hired someone) or JOB (a job referral led to this hire). */
    referralType: z.enum(['SIGNUP', 'JOB']),
    kind: z.enum(['TALENT', 'CLIENT']),
    connectorId: z.uuid(),
    referredUserId: z.uuid(),
    contractId: z.uuid(),
    /** The value declared at hire, for information only: no reward is computed on it. */
    contractValue: MoneySchema,
    qualifiedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.referralId,
});

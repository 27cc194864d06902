import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema, MoneySchema, RateUnitSchema } from '../common';
import { Topics } from '../topics';

/**
 * A hire, at the accepted (proposed) rate, which jobs keeps within the job's budget and tolerance.
 * Referrals qualifies referrals from it (a job referral only if it was made before `appliedAt`);
 * payments learns which contracts can be invoiced. No reward is paid on `estimatedValue`: it is
 * declared, not paid, value. Connector rewards accrue from the contract's paid invoices (InvoicePaid).
 */
export const ContractStarted = defineEvent({
  type: 'ContractStarted',
  version: 1,
  topic: Topics.jobs,
  source: 'jobs',
  schema: z.object({
    contractId: z.uuid(),
    jobId: z.uuid(),
    applicationId: z.uuid(),
    clientId: z.uuid(),
    talentId: z.uuid(),
    rate: MoneySchema,
    unit: RateUnitSchema,
    /** rate x hoursPerWeek x durationWeeks for hourly work; the rate itself for fixed. For information only. */
    estimatedValue: MoneySchema,
    /** True when this is the client's first hire on the network. */
    clientFirstHire: z.boolean(),
    /** When the hired application was submitted (its createdAt): a job referral counts only if made before it. */
    appliedAt: IsoDateTimeSchema,
    startedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.contractId,
});

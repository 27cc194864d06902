import { z } from 'zod';
import { defineEvent } from '../envelope';
import { IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/**
 * Partner projection of InvoicePaid on `public.jobs.v1`: the paid totals of a job's contract,
 * never who paid or was paid (no user, client or organization ids, no description, no provider
 * reference). Keyed by the job, so it follows that job's `job.posted` in order.
 */
export const PublicInvoicePaid = defineEvent({
  type: 'invoice.paid',
  version: 1,
  topic: Topics.publicJobs,
  source: 'payments',
  schema: z.object({
    invoiceId: z.uuid(),
    /** The job the contract was hired on (as in `job.posted`); null for contracts recorded before payments learned it. */
    jobId: z.uuid().nullable(),
    contractId: z.uuid(),
    /** What the talent received, in full. */
    subtotal: MoneySchema,
    /** The client's platform fee on top. */
    platformFee: MoneySchema,
    /** subtotal + platformFee: what the client paid. */
    total: MoneySchema,
    /** `total` in USD at payments' rate when paid; null without a rate for the currency. */
    totalUsd: MoneySchema.nullable(),
    paidAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.jobId ?? p.contractId,
});

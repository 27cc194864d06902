import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/** A talent invoiced a contract; the client approves it to pay. */
export const InvoiceSubmitted = defineEvent({
  type: 'InvoiceSubmitted',
  version: 1,
  topic: Topics.payments,
  source: 'payments',
  schema: z.object({
    invoiceId: z.uuid(),
    contractId: z.uuid(),
    talentId: z.uuid(),
    clientId: z.uuid(),
    /** What the talent receives, in full. */
    subtotal: MoneySchema,
    /** Charged to the client on top of the subtotal. */
    platformFee: MoneySchema,
    feeRate: DecimalStringSchema,
    total: MoneySchema,
    submittedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.invoiceId,
});

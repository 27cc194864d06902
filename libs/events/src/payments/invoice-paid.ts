import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/** The client was charged subtotal + fee through the payment provider; the fee accrues for conversion to BTRST. */
export const InvoicePaid = defineEvent({
  type: 'InvoicePaid',
  version: 1,
  topic: Topics.payments,
  source: 'payments',
  schema: z.object({
    invoiceId: z.uuid(),
    contractId: z.uuid(),
    talentId: z.uuid(),
    clientId: z.uuid(),
    subtotal: MoneySchema,
    platformFee: MoneySchema,
    feeRate: DecimalStringSchema,
    total: MoneySchema,
    /** The provider's charge id (no card or bank data). */
    providerReference: z.string(),
    paidAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.invoiceId,
});

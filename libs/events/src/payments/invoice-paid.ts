import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/**
 * The client was charged subtotal + fee through the payment provider; the fee accrues for conversion
 * to BTRST, and rewards pays what is earned on paid value (connector referrals, 5-star ratings).
 */
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
    /**
     * The subtotal in US dollars at payments' own rate table when it was paid (rounded half up to
     * the cent), or null when payments has no rate for the currency. Rewards earned on paid value
     * (connector referrals, the 5-star minimum) are computed on this, never on a declared value.
     */
    subtotalUsd: MoneySchema.nullable(),
    /** USD per unit of the invoice's currency used for `subtotalUsd` ("1" for USD); null with it. */
    usdRate: DecimalStringSchema.nullable(),
    /** The provider's charge id (no card or bank data). */
    providerReference: z.string(),
    paidAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.invoiceId,
});

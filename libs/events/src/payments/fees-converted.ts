import { z } from 'zod';
import { defineEvent } from '../envelope';
import { DecimalStringSchema, IsoDateTimeSchema, MoneySchema } from '../common';
import { Topics } from '../topics';

/**
 * Platform fees of one currency were bought back: fiat -> USDC at the FX adapter's rate, USDC ->
 * BTRST at the price feed's price. Rewards credits exactly `btrstBought` to the DAO treasury
 * (ledger kind TREASURY_BUYBACK, once per conversion). The invoices converted are listed by the
 * public `feeConversions` query; here only their count, to keep the message small.
 */
export const FeesConverted = defineEvent({
  type: 'FeesConverted',
  version: 1,
  topic: Topics.payments,
  source: 'payments',
  schema: z.object({
    conversionId: z.uuid(),
    /** The sum of the converted invoices' platform fees, in their currency. */
    fees: MoneySchema,
    /** USDC received for `fees` (6 decimals). */
    usdcAmount: DecimalStringSchema,
    /** USDC per BTRST at execution. */
    price: DecimalStringSchema,
    /** BTRST bought (18 decimals, rounded down): what the treasury receives. */
    btrstBought: DecimalStringSchema,
    invoiceCount: z.number().int().positive(),
    executedAt: IsoDateTimeSchema,
  }),
  aggregateIdOf: (p) => p.conversionId,
});

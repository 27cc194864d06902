import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';
import { parseUsdRates } from './fx/usd-value';
import { isFeeRate } from './money/money';

export const PaymentsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('payments'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4006),
  /** Identity's public keys: payments verifies the callers' access tokens with them. */
  JWKS_URL: z.url('must be the URL of identity\'s JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json'),
  /**
   * The platform fee charged to clients on top of each invoice. Only SEEDS the `platform.feeRate`
   * row of the `parameters` table when the schema migration first runs; from then on the table
   * (later: governance's ParameterChanged) is the source of truth, read at each submission.
   */
  PLATFORM_FEE_RATE: z
    .string()
    .trim()
    .default('0.10')
    .refine(isFeeRate, 'must be a decimal between 0 and 1 with at most 4 decimals, e.g. "0.10"'),
  /**
   * USD per unit of other currencies, e.g. "EUR=1.08,GBP=1.27", written into `usd_rates` at start.
   * Paid invoices in a currency without a rate carry no USD value (rewards on paid value refuse
   * them with NO_FX_RATE rather than guess). Empty: USD only.
   */
  USD_RATES: z
    .string()
    .trim()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseUsdRates(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

export type PaymentsConfig = z.infer<typeof PaymentsConfigSchema>;

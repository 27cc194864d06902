import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';
import { isPositiveDecimal, parseUsdcRates } from './buyback/buyback-config';
import { parseUsdRates } from './fx/usd-value';
import { isFeeRate } from './parameters/fee-rate';

export const PaymentsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('payments'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4006),
  /** Identity's public keys: payments verifies the callers' access tokens with them. */
  JWKS_URL: z.url("must be the URL of identity's JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json"),
  /**
   * The platform fee charged to clients on top of each invoice. Only SEEDS the `platform.feeRate`
   * row of the `parameters` table when the schema migration first runs; from then on the table
   * (later: governance's ParameterChanged) is the source of truth, read at each submission.
   */
  PLATFORM_FEE_RATE: z.string().trim().default('0.10').refine(isFeeRate, 'must be a decimal between 0 and 1 with at most 4 decimals, e.g. "0.10"'),
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
  /**
   * The payment provider's webhook signing secret (Standard Webhooks: "whsec_" + base64 of 24 to
   * 64 random bytes). Confirmations whose signature does not verify with it are refused (401).
   * The local provider signs its webhooks with the same secret, as a real provider does with
   * the one it gave you.
   */
  PAYMENT_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^(whsec_)?[A-Za-z0-9+/]{32,}={0,2}$/,
      'must be a Standard Webhooks secret: "whsec_" + base64 of at least 24 random bytes (whsec_$(openssl rand -base64 32))',
    ),
  /** How long a charge call may take before payments stops waiting; the charge is then resolved by its webhook or the sweep. */
  PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often the sweep looks for approvals still waiting for the provider's outcome. */
  APPROVAL_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** An approval still waiting after this long is resolved by asking the provider by its idempotency key. */
  APPROVAL_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(120_000),
  /** Idempotency keys are kept (bound to their request) at least this long; older ones are purged hourly. */
  IDEMPOTENCY_KEY_RETENTION_HOURS: z.coerce.number().int().min(24, 'must be at least 24 (keys are kept at least a day)').default(48),
  /** The local provider's delay before it confirms a charge by webhook (a real provider takes a moment too). */
  LOCAL_PROVIDER_CONFIRM_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  /** Where the local provider delivers its webhooks; default: this service's own endpoint. */
  LOCAL_PROVIDER_WEBHOOK_URL: z.url().optional(),
  // ---- Fee conversion (the buyback: fees -> USDC -> BTRST), see src/buyback.
  /** How often the conversion job runs (ms); `npm run dev` uses 30000. */
  FEE_CONVERSION_INTERVAL_MS: z.coerce
    .number({ message: 'FEE_CONVERSION_INTERVAL_MS must be a number of milliseconds' })
    .int('FEE_CONVERSION_INTERVAL_MS must be a whole number of milliseconds')
    .min(100, 'FEE_CONVERSION_INTERVAL_MS must be at least 100 (ms)')
    .default(3_600_000),
  /**
   * The local FX adapter's prices: USDC per unit of each fee currency, e.g. "USD=1,EUR=1.08".
   * Fees in a currency missing here are not converted (they wait, logged) until a rate is given.
   */
  BUYBACK_USDC_RATES: z
    .string()
    .trim()
    .default('USD=1,EUR=1.08,GBP=1.27,JPY=0.0067,KWD=3.25')
    .superRefine((value, ctx) => {
      try {
        parseUsdcRates(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `BUYBACK_USDC_RATES: ${(error as Error).message}` });
      }
    }),
  /** The local price feed's BTRST price in USDC per BTRST, e.g. "0.25". */
  BTRST_PRICE_USDC: z
    .string()
    .trim()
    .default('0.25')
    .refine(isPositiveDecimal, 'BTRST_PRICE_USDC must be a positive decimal (USDC per BTRST) with at most 18 decimals, e.g. "0.25"'),
  /** Real sleeps in the local adapters, like a slow network (tests kill the service meanwhile). */
  LOCAL_FX_DELAY_MS: z.coerce.number().int().min(0, 'LOCAL_FX_DELAY_MS must be 0 or more (ms)').default(0),
  LOCAL_PRICE_FEED_DELAY_MS: z.coerce.number().int().min(0, 'LOCAL_PRICE_FEED_DELAY_MS must be 0 or more (ms)').default(0),
});

export type PaymentsConfig = z.infer<typeof PaymentsConfigSchema>;

import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const RewardsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('rewards'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4005),
  /** How withdrawals reach the chain. Only `local` (records a transaction hash, sends nothing) exists so far. */
  CHAIN_ADAPTER: z.enum(['local']).default('local'),
  /**
   * When a withdrawal's transfer may have gone out but its outcome is unknown (the answer was lost,
   * or it is still pending), the chain is asked again after this delay, doubling up to an hour.
   */
  WITHDRAWAL_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
});

export type RewardsConfig = z.infer<typeof RewardsConfigSchema>;

import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const RewardsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('rewards'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4005),
  /** How withdrawals reach the chain. Only `local` (records a transaction hash, sends nothing) exists so far. */
  CHAIN_ADAPTER: z.enum(['local']).default('local'),
});

export type RewardsConfig = z.infer<typeof RewardsConfigSchema>;

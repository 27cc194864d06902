import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const ReferralsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('referrals'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4004),
  /**
   * Qualifications one connector may earn per UTC day (the day the contract started).
   * Beyond it a qualifying referral is refused as INVALID with reason DAILY_CAP.
   */
  REFERRAL_DAILY_CAP: z.coerce.number().int().min(1).max(100_000).default(10),
});

export type ReferralsConfig = z.infer<typeof ReferralsConfigSchema>;

import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const MatchingConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('matching'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4003),
  /** How many top candidates are kept (and proposed) per job. */
  MATCHES_PER_JOB: z.coerce.number().int().min(1).max(100).default(20),
});

export type MatchingConfig = z.infer<typeof MatchingConfigSchema>;

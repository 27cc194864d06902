import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const JobsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('jobs'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  /** Identity's public keys: jobs verifies the callers' access tokens with them. */
  JWKS_URL: z.url('must be the URL of identity\'s JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json'),
  /**
   * How long postJob waits for an organization it does not know yet (one created in identity a
   * moment ago, still on its way through Kafka) before refusing it as NOT_FOUND. 0: no wait.
   */
  ORGANIZATION_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(5_000),
});

export type JobsConfig = z.infer<typeof JobsConfigSchema>;

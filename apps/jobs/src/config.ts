import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const JobsConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('jobs'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  /** Identity's public keys: jobs verifies the callers' access tokens with them. */
  JWKS_URL: z.url("must be the URL of identity's JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json"),
});

export type JobsConfig = z.infer<typeof JobsConfigSchema>;

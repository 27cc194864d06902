import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const GovernanceConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('governance'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4007),
});

export type GovernanceConfig = z.infer<typeof GovernanceConfigSchema>;

import { z } from 'zod';
import { booleanFromEnv, ConfigError } from '@talent/platform';

export const GatewayConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SERVICE_NAME: z.string().default('gateway'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().default('talent-network/identity'),
  JWT_AUDIENCE: z.string().default('talent-network'),
  /** The supergraph composed offline by `npm run supergraph` (committed). */
  SUPERGRAPH_PATH: z.string().optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(5000),
  MAX_QUERY_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(2000),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('64kb'),
  TRUST_PROXY: booleanFromEnv.default(true),
  /** Allowed browser origins, comma-separated; empty means same-origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/**
 * Where each subgraph of the supergraph runs: `SUBGRAPH_<NAME>_URL` when set (validated),
 * otherwise the URL it was composed with (local development defaults).
 */
export function subgraphUrls(composed: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const problems: string[] = [];
  const urls: Record<string, string> = {};
  for (const [name, url] of Object.entries(composed)) {
    const variable = `SUBGRAPH_${name.toUpperCase()}_URL`;
    const override = env[variable];
    if (override !== undefined && !z.url().safeParse(override).success) problems.push(`${variable}: must be a URL`);
    urls[name] = override ?? url;
  }
  if (problems.length) throw new ConfigError(problems);
  return urls;
}

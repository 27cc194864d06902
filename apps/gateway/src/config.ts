import { z } from 'zod';
import { booleanFromEnv, ConfigError, TrustedProxiesSchema } from '@talent/platform';

export const GatewayConfigSchema = z
  .object({
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
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/)
      .default('64kb'),
    /**
     * Proxies in front of the gateway (ingress, load balancer) that may name the client's address:
     * a hop count or addresses/CIDR ranges (see `TrustedProxiesSchema`). None by default: a client's
     * own X-Forwarded-For is ignored, so it cannot choose the address that throttles count.
     */
    TRUSTED_PROXIES: TrustedProxiesSchema.default(false),
    /** Replaced by TRUSTED_PROXIES; refused so that a deployment still setting it learns so at start-up. */
    TRUST_PROXY: z.undefined({ error: 'replaced by TRUSTED_PROXIES (a hop count, or proxy addresses and CIDR ranges)' }).optional(),
    /** Allowed browser origins, comma-separated; empty means same-origin only. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    /** Signs every subgraph request (`x-gateway-signature`); every subgraph holds the same value. Required in production. */
    GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    /** Schema introspection (and field suggestions) for API explorers; off unless set, whatever NODE_ENV says. */
    GRAPHQL_INTROSPECTION: booleanFromEnv.default(false),
    /** Rate-limit counters, shared by every gateway replica. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().min(1).default('talent:gateway'),
    /** GraphQL requests one client (a verified user, else an address) may send per window; default 600 in production, 100000 elsewhere. */
    RATE_LIMIT_REQUESTS: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.GATEWAY_SECRET, {
    path: ['GATEWAY_SECRET'],
    message: "required in production, the same value as every subgraph's (openssl rand -base64 32)",
  });

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** The per-client request budget: generous outside production, where tests and the seed script share one address. */
export const rateLimitOf = (config: GatewayConfig) => ({
  requests: config.RATE_LIMIT_REQUESTS ?? (config.NODE_ENV === 'production' ? 600 : 100_000),
  windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
});

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

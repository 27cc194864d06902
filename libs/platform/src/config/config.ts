import { z } from 'zod';
import { TrustedProxiesSchema } from './trusted-proxies';

const booleanFromEnv = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Variables every service reads. A service extends this with its own (see `loadConfig`). */
export const BaseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SERVICE_NAME: z.string().min(1),
  PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key of this service (BullMQ queues, throttles): lets services and test runs share one Redis. */
  REDIS_PREFIX: z.string().min(1).optional(),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  KAFKA_CLIENT_ID: z.string().optional(),
  /** SASL on the Kafka connection (production: scram-sha-512 as the service's Strimzi KafkaUser); unset: none. Needs the username and password. */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** TLS to the brokers; KAFKA_SSL_CA is the PEM of the CA that signed their certificates (Strimzi's cluster CA), else the system's CAs. */
  KAFKA_SSL: booleanFromEnv.default(false),
  KAFKA_SSL_CA: z.string().optional(),
  /**
   * Prepended to every topic this service produces to and consumes from. Empty in
   * production; lets several stacks share one cluster (test runs, previews) without
   * seeing each other's events.
   */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dots, dashes and underscores only')
    .default(''),
  /** Consumer group; defaults to SERVICE_NAME (every replica of a service shares it). */
  KAFKA_GROUP_ID: z.string().min(1).optional(),
  /** Where subgraphs fetch identity's public keys. Identity itself verifies with its own keys. */
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().default('talent-network/identity'),
  JWT_AUDIENCE: z.string().default('talent-network'),
  /**
   * Who may set the client address (X-Forwarded-For): see `TrustedProxiesSchema`. A subgraph's
   * caller is the gateway, on the private network (and, with GATEWAY_SECRET, provably the
   * gateway), so private ranges are trusted by default; narrow it to the gateway's range in production.
   */
  TRUSTED_PROXIES: TrustedProxiesSchema.default(['loopback', 'linklocal', 'uniquelocal']),
  /** Replaced by TRUSTED_PROXIES; refused so that a deployment still setting it learns so at start-up. */
  TRUST_PROXY: z.undefined({ error: 'replaced by TRUSTED_PROXIES (a hop count, or proxy addresses and CIDR ranges)' }).optional(),
  /**
   * The outbox relay's safety poll. A commit wakes the relay at once (NOTIFY on the outbox's
   * channel); the poll only catches what a lost LISTEN connection missed, so it can be slow.
   */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(72),
  /**
   * How long the broker may hold a consumer's fetch when there is nothing new (Kafka's
   * fetch.max.wait.ms). Kafka answers as soon as a message arrives, so a long wait costs no latency
   * and keeps an idle consumer quiet; librdkafka's mock broker (the local one) always waits it out,
   * so it is also that broker's delivery latency: the local stack and tests set a short one (docs/operations.md).
   */
  KAFKA_CONSUMER_MAX_WAIT_MS: z.coerce.number().int().positive().default(5_000),
  /** Most messages of a partition a consumer applies together in one transaction (1: each alone). */
  KAFKA_CONSUMER_BATCH_SIZE: z.coerce.number().int().positive().default(100),
  /** Partitions a consumer applies at the same time (kafkajs partitionsConsumedConcurrently); order holds within each. */
  KAFKA_CONSUMER_CONCURRENCY: z.coerce.number().int().positive().default(1),
  /** A consumer retries a transient failure (database, Redis, network) after this delay, doubled each time up to the max; never dead-letters it. */
  CONSUMER_RETRY_BASE_MS: z.coerce.number().int().positive().default(200),
  CONSUMER_RETRY_MAX_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * How long a command waits for a projection of another service's data that is not there yet
   * (a job posted, a member approved a moment ago, still on its way through Kafka) before
   * refusing it as missing (see `awaitProjection`). 0: no wait.
   */
  PROJECTION_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(5_000),
  /**
   * Shared with the gateway, which signs every subgraph request with it (`x-gateway-signature`);
   * /graphql refuses anything unsigned. Required in production (checked at start-up by
   * `createService`); optional elsewhere, where unsigned requests are accepted with a warning.
   */
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
  /**
   * OpenTelemetry traces (see libs/platform/src/tracing): on only when an OTLP/HTTP endpoint is set
   * (the collector's base URL, /v1/traces appended; or the full traces URL) and OTEL_SDK_DISABLED is
   * not true. The SDK reads these (and its other OTEL_* variables) itself before the config is
   * loaded; they are declared here so that a malformed URL (empty means unset) stops the service at start-up.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional(),
  OTEL_SDK_DISABLED: z
    .string()
    .regex(/^(true|false)$/i, 'true or false')
    .optional(),
});

export type BaseConfig = z.infer<typeof BaseConfigSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once, at start-up. A missing or malformed
 * variable stops the service with a message that names it (never its value: it may be a secret).
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(root)';
      const received = env[String(issue.path[0])] === undefined ? ' (not set)' : '';
      return `${name}: ${issue.message}${received}`;
    });
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data) as z.infer<S>;
}

/** Injection token for the service's validated config object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export { booleanFromEnv };

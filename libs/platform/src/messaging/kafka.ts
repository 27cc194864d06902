import { Kafka, logLevel, type Admin, type Producer, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** How the client authenticates (see kafkaSecurity); none for a local broker. */
  security?: KafkaSecurity;
}

export interface KafkaSecurity {
  ssl?: boolean | { ca: string[] };
  sasl?: SASLOptions;
}

/**
 * TLS and SASL from the service's config (KAFKA_SSL, KAFKA_SSL_CA, KAFKA_SASL_*). Throws, naming
 * the variable, when a mechanism is set without its username or password.
 */
export function kafkaSecurity(config: {
  KAFKA_SSL?: boolean;
  KAFKA_SSL_CA?: string;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) security.ssl = config.KAFKA_SSL_CA ? { ca: [config.KAFKA_SSL_CA] } : true;
  if (config.KAFKA_SASL_MECHANISM) {
    const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
    if (!username || !password) throw new Error('Invalid configuration:\n  - KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM');
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username, password } as SASLOptions;
  }
  return security;
}

/** A kafkajs client whose logs go through pino. */
export function createKafka(options: KafkaOptions): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const log = options.logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...options.security,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}

/**
 * The producer used by the outbox relay and dead-lettering. Not idempotent/transactional:
 * delivery guarantees come from the outbox (at least once) and the consumers' inbox
 * (effectively once), so the design runs on any Kafka-protocol broker.
 * One request in flight keeps each partition's order across retries.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ allowAutoTopicCreation: true, idempotent: false, maxInFlightRequests: 1 });
}

/** Readiness probe: the cluster answers a metadata request in time. */
export async function kafkaIsReachable(admin: Admin, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      admin.describeCluster(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

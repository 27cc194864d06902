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
  /** Quiet kafkajs 2.2.4's idle timers (see `quietKafkajsIdleTimers`). Default true; false only to measure them (bench:idle). */
  quietIdleTimers?: boolean;
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
  if (options.quietIdleTimers ?? true) quietKafkajsIdleTimers();
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

interface RequestQueueInternals {
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

const PENDING_REQUESTS_RECHECK_MS = 10; // kafkajs' CHECK_PENDING_REQUESTS_INTERVAL
/** How often a connection looks for requests past their timeout (30 s by default): kafkajs looks every 100 ms. */
const REQUEST_TIMEOUT_CHECK_MS = 1_000;
let idleTimersQuieted = false;

/**
 * kafkajs 2.2.4 (its last release) keeps two timers busy on every broker connection of an idle
 * service, about 1% of a core per service:
 * - once a connection has had a response, it re-arms a 1 ms timer forever, even with nothing
 *   queued (tulios/kafkajs#1556, #1704; the fix of PR #1667 was never released). With nothing
 *   pending and no broker throttle to wait out, no timer now: `push` (a request queued) and each
 *   response run the check again;
 * - it looks for timed-out requests every 100 ms; every second is enough for a 30 s timeout.
 * Replaces those two methods, only on 2.2.4 (whose code they are); returns whether applied.
 */
export function quietKafkajsIdleTimers(): boolean {
  if (idleTimersQuieted) return true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs exports neither its version nor this class
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== '2.2.4') return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId) return;
    const throttledForMs = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledForMs <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledForMs > 0 ? throttledForMs : PENDING_REQUESTS_RECHECK_MS,
    );
  };
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueueInternals) {
    if (!this.enforceRequestTimeout) return;
    this.destroy(); // clears the previous interval, as kafkajs does
    this.requestTimeoutIntervalId = setInterval(
      () => {
        for (const request of this.inflight.values()) if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
        if (!this.isConnected()) this.destroy();
      },
      Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS),
    );
  };
  idleTimersQuieted = true;
  return true;
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

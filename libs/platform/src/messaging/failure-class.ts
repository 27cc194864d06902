import { DomainError } from '../errors';

/**
 * Why an event could not be applied, which decides what the consumer does with it:
 * - `permanent`: the event is refused for good (a domain rule): dead-lettered at once;
 * - `transient`: the service's infrastructure failed (database, Redis, network, broker):
 *   retried for as long as it takes, never dead-lettered;
 * - `unclassified`: anything else (a plain Error, a TypeError). Retried like a transient
 *   failure, logged as an error: a handler refuses an event by throwing a DomainError, so
 *   anything else is either infrastructure we did not recognise or a bug, and in both cases
 *   holding the partition (visible in `event_consumer_partition_paused`) loses nothing,
 *   whereas dead-lettering would silently skip the event and reorder its aggregate.
 *   (Example: a reward whose ledger account is not open yet, because the event that opens
 *   it travels on another topic, passes once that event is applied.)
 */
export type FailureClass = 'permanent' | 'transient' | 'unclassified';

/** PostgreSQL SQLSTATEs worth retrying (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57P']; // connection exception, insufficient resources, operator intervention (shutdown, cannot connect now)
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
  '55000', // object_not_in_prerequisite_state: "database is not currently accepting connections"
  '58000', // system_error
  '58030', // io_error
  'XX000', // internal_error (e.g. a replica in recovery)
]);

/** Node.js network errors (system error codes). */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Messages of driver errors that carry no code (pg, pg-pool, ioredis, TypeORM). */
const TRANSIENT_MESSAGES = [
  /connection terminated/i, // pg: "Connection terminated unexpectedly" / "due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool
  /client has encountered a connection error/i, // pg
  /cannot use a pool after calling end/i, // pg-pool during a reconnect
  /connection is closed/i, // ioredis
  /reached the max retries per request limit/i, // ioredis MaxRetriesPerRequestError
  /^(LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|BUSY)\b/, // Redis replies during failover or start-up
  /connection is not established/i, // TypeORM
  /driver not connected/i, // TypeORM
  /query read timeout/i, // pg query_timeout
];

const TRANSIENT_ERROR_NAMES = new Set(['TimeoutError', 'AbortError', 'MaxRetriesPerRequestError', 'ConnectionTimeoutError']);

/** The error and what it wraps (`cause`, TypeORM's `driverError`, AggregateError's `errors`), at most a few levels. */
function* chain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!error || typeof error !== 'object' || depth > 5) return;
  const e = error as Record<string, unknown>;
  yield e;
  yield* chain(e.driverError, depth + 1);
  yield* chain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

function isTransient(e: Record<string, unknown>): boolean {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code) {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.some((c) => code.startsWith(c))) return true;
  }
  // kafkajs marks what it considers retriable (e.g. a dead-letter send to a broker that is down).
  if (e.retriable === true && typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return true;
  if (typeof e.name === 'string' && TRANSIENT_ERROR_NAMES.has(e.name)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return TRANSIENT_MESSAGES.some((re) => re.test(message));
}

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof DomainError) return error.code === 'RATE_LIMITED' ? 'transient' : 'permanent';
  for (const e of chain(error)) if (isTransient(e)) return 'transient';
  return 'unclassified';
}

/** A short, value-free name of an error for logs, headers and metric labels (e.g. `ConflictError`, `QueryFailedError:55P03`). */
export function errorClassOf(error: unknown): string {
  if (!error || typeof error !== 'object') return typeof error;
  if (error instanceof DomainError) return error.name; // its code is the contract's, already implied by the name
  const e = error as Record<string, unknown>;
  const name = typeof e.name === 'string' ? e.name : (error.constructor?.name ?? 'Error');
  const driver = e.driverError as Record<string, unknown> | undefined;
  const code = typeof e.code === 'string' ? e.code : typeof driver?.code === 'string' ? driver.code : undefined;
  return code ? `${name}:${code}` : name;
}

/**
 * Capped exponential backoff with jitter: attempt 1 waits about `baseMs`, each next one twice
 * as long, never more than `maxMs`; the delay is drawn from its upper half so that partitions
 * (and replicas) failing together do not retry in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

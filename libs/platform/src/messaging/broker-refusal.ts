/**
 * Broker errors that refuse one message for good: sending it again fails the same way,
 * so the outbox relay parks it instead of retrying it forever at the head of the queue.
 * Anything else (connection lost, leader moving, timeouts, authorization, which ops fix
 * once for every message) is transient and retried in order.
 */
const REFUSED_FOR_GOOD = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'POLICY_VIOLATION',
  // Retriable to kafkajs (metadata may lag a new topic), but still missing once its own
  // retries are spent: the topic does not exist and the broker does not create it.
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** The reason to park a message with, or null when the error is transient. */
export function permanentRefusal(error: unknown): string | null {
  // kafkajs wraps the broker's error (KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError) in `cause`.
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { type, message } = e as { type?: unknown; message?: unknown };
    if (typeof type === 'string' && REFUSED_FOR_GOOD.has(type)) return `${type}: ${String(message ?? '')}`.slice(0, 1000);
  }
  return null;
}

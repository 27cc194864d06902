import { EVENT_CATALOG, type EventEnvelope } from '@talent/events';
import type { KafkaMessage } from 'kafkajs';

/**
 * Hands an envelope to a consumer exactly as the broker would (the same message shape,
 * through `EventConsumer.handle`: validation, inbox, handlers, dead-lettering), for tests
 * that drive a service's event handlers in-process against a real database.
 */
/** What a consumer needs to offer (structurally `EventConsumer` of libs/platform). */
export interface MessageHandler {
  handle(delivery: { topic: string; partition: number; message: KafkaMessage }): Promise<void>;
  handleBatch(topic: string, partition: number, messages: KafkaMessage[]): Promise<void>;
}

/** `topic` defaults to the event's own topic (consumers refuse an event on another service's topic). */
export function deliverEnvelope(consumer: MessageHandler, envelope: EventEnvelope, topic = EVENT_CATALOG.get(envelope.type)?.topic ?? 'test'): Promise<void> {
  const message = {
    key: Buffer.from(envelope.aggregateId),
    value: Buffer.from(JSON.stringify(envelope)),
    offset: '0',
    timestamp: String(Date.now()),
    attributes: 0,
    headers: {},
  } as KafkaMessage;
  return consumer.handle({ topic, partition: 0, message });
}

/**
 * Hands envelopes to a consumer as one fetched batch of one partition (`EventConsumer.handleBatch`:
 * applied together in one transaction when they allow it), each on its own topic, which must be
 * the same for all (under `topicPrefix`, the consumer's KAFKA_TOPIC_PREFIX).
 */
export function deliverEnvelopes(consumer: MessageHandler, envelopes: EventEnvelope[], topicPrefix = ''): Promise<void> {
  const topics = new Set(envelopes.map((e) => EVENT_CATALOG.get(e.type)?.topic ?? 'test'));
  if (topics.size !== 1) throw new Error(`a batch comes from one topic, not ${[...topics].join(', ')}`);
  const messages = envelopes.map(
    (envelope, offset) =>
      ({
        key: Buffer.from(envelope.aggregateId),
        value: Buffer.from(JSON.stringify(envelope)),
        offset: String(offset),
        timestamp: String(Date.now()),
        attributes: 0,
        headers: {},
      }) as KafkaMessage,
  );
  return consumer.handleBatch(`${topicPrefix}${[...topics][0]}`, 0, messages);
}

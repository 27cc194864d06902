import { EVENT_CATALOG, type EventEnvelope } from '@talent/events';
import type { KafkaMessage } from 'kafkajs';

/**
 * Hands an envelope to a consumer exactly as the broker would (the same message shape,
 * through `EventConsumer.handle`: validation, inbox, handlers, dead-lettering), for tests
 * that drive a service's event handlers in-process against a real database.
 */
/** What a consumer needs to offer (structurally `EventConsumer` of libs/platform, which the harness does not import). */
export interface MessageHandler {
  handle(delivery: { topic: string; partition: number; message: KafkaMessage }): Promise<void>;
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

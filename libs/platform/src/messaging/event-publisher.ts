import { createEvent, type EventDefinition, type EnvelopeOf, type PayloadOf } from '@talent/events';
import type { EntityManager } from 'typeorm';
import { activeTraceparent } from '../tracing/spans';

/** Postgres channel the relay listens on, so that a commit wakes it at once instead of at the next poll. */
export const OUTBOX_CHANNEL = 'outbox_pending';

/**
 * Appends events to the outbox inside the caller's transaction. Nothing reaches Kafka
 * unless that transaction commits; the relay publishes after commit.
 */
export class EventPublisher {
  async publish<D extends EventDefinition>(
    tx: EntityManager,
    definition: D,
    payload: PayloadOf<D>,
    options: { traceparent?: string } = {},
  ): Promise<EnvelopeOf<D>> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error(`EventPublisher.publish(${definition.type}) must run inside a transaction`);
    }
    // With tracing on, the writer's active span (the relay's PRODUCER span becomes its child); off, the traceparent passed by hand.
    const envelope = createEvent(definition, payload, { ...options, traceparent: activeTraceparent() ?? options.traceparent });
    await tx.query(
      `INSERT INTO outbox (id, topic, message_key, type, envelope) VALUES ($1, $2, $3, $4, $5)`,
      [envelope.id, definition.topic, envelope.aggregateId, envelope.type, JSON.stringify(envelope)],
    );
    await tx.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    return envelope;
  }
}

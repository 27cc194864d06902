import { createEvent, type EventDefinition, type EventEnvelope, type EnvelopeOf, type PayloadOf } from '@talent/events';
import type { EntityManager } from 'typeorm';
import { activeTraceparent } from '../tracing/spans';

/** Postgres channel the relay listens on, so that a commit wakes it at once instead of at the next poll. */
export const OUTBOX_CHANNEL = 'outbox_pending';

/** An event to append with `publishMany`; the traceparent of the work that caused it, when not the active span's. */
export interface PendingEvent<D extends EventDefinition = EventDefinition> {
  definition: D;
  payload: PayloadOf<D>;
  traceparent?: string;
}

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
    const [envelope] = await this.publishMany(tx, [{ definition, payload, traceparent: activeTraceparent() ?? options.traceparent }]);
    return envelope as EnvelopeOf<D>;
  }

  /**
   * Appends events in one statement with the relay's wake-up (NOTIFY), in the order given (the
   * relay sends them in that order): for a use case that applies a batch at once. Each keeps its own traceparent.
   */
  async publishMany(tx: EntityManager, events: ReadonlyArray<PendingEvent>): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    if (!tx.queryRunner?.isTransactionActive) throw new Error('EventPublisher.publishMany must run inside a transaction');
    const envelopes = events.map(({ definition, payload, traceparent }) =>
      createEvent(definition, payload, { traceparent: traceparent ?? activeTraceparent() }),
    );
    // The envelopes as one JSON array, not a jsonb[]: an array literal would escape every quote of every envelope.
    await tx.query(
      `WITH written AS (
         INSERT INTO outbox (id, topic, message_key, type, envelope)
         SELECT (e.envelope->>'id')::uuid, t.topic, e.envelope->>'aggregateId', e.envelope->>'type', e.envelope
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(envelope, ord)
           JOIN unnest($2::text[]) WITH ORDINALITY AS t(topic, ord) USING (ord)
         ORDER BY ord
         RETURNING 1
       )
       SELECT pg_notify($3, '') FROM (SELECT 1 FROM written LIMIT 1) w`,
      [JSON.stringify(envelopes), events.map((e) => e.definition.topic), OUTBOX_CHANNEL],
    );
    return envelopes;
  }
}

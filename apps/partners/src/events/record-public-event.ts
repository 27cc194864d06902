import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { EnvelopeSchema } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { DeliveryQueue } from '../deliveries/delivery-queue';
import { DELIVERABLE_EVENT_TYPES } from '../shared/public-events';

const RecordPublicEventCommand = EnvelopeSchema.extend({
  type: z.string().refine((type) => DELIVERABLE_EVENT_TYPES.includes(type), 'is not a public event type'),
});

/**
 * Use case (the system's, on each public event consumed): record the event (kept for replays)
 * and fan it out, one delivery per active node subscribed to its type, queued once the
 * transaction commits. A redelivered event is stopped by the inbox; the fan-out's unique index
 * stops it again.
 */
@Injectable()
export class RecordPublicEvent implements UseCase<z.input<typeof RecordPublicEventCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: DeliveryQueue,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordPublicEventCommand>): Promise<void> {
    assertSystem(ctx, 'RecordPublicEvent');
    const event = parseCommand(RecordPublicEventCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await tx.query(
        `INSERT INTO public_events (id, type, version, source, aggregate_id, occurred_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [event.id, event.type, event.version, event.source, event.aggregateId, event.occurredAt, JSON.stringify(event.payload)],
      );
      const deliveries: Array<{ id: string }> = await tx.query(
        `INSERT INTO partner_deliveries (id, node_id, event_id)
         SELECT gen_random_uuid(), n.id, $1 FROM partner_nodes n
          WHERE n.status = 'ACTIVE' AND $2 = ANY (n.event_types)
         ON CONFLICT (node_id, event_id) WHERE replay_id IS NULL DO NOTHING
         RETURNING id`,
        [event.id, event.type],
      );
      this.queue.scheduleAfterCommit(
        tx,
        deliveries.map((d) => d.id),
      );
    });
  }
}

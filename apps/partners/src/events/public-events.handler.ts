import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PublicInvoicePaid, PublicJobClosed, PublicJobPosted, PublicProposalDecided, PublicRewardGranted, type EventEnvelope } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { DeliveryQueue } from '../deliveries/delivery-queue';

/**
 * Records every public event (kept for replays) and fans it out: one delivery per active node
 * subscribed to its type, queued once the inbox transaction commits. A redelivered event is
 * stopped by the inbox; the fan-out's unique index stops it again.
 */
@Injectable()
export class PublicEventsHandler {
  constructor(private readonly queue: DeliveryQueue) {}

  @OnEvent(PublicJobPosted)
  @OnEvent(PublicJobClosed)
  @OnEvent(PublicInvoicePaid)
  @OnEvent(PublicRewardGranted)
  @OnEvent(PublicProposalDecided)
  async onPublicEvent(event: EventEnvelope, tx: EntityManager): Promise<void> {
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
    this.queue.scheduleAfterCommit(tx, deliveries.map((d) => d.id));
  }
}

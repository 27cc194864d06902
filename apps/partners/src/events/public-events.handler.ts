import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PublicInvoicePaid, PublicJobClosed, PublicJobPosted, PublicProposalDecided, PublicRewardGranted, type EventEnvelope } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordPublicEvent } from './record-public-event';

/** Every public event consumed is recorded and fanned out to the nodes, in the inbox transaction. */
@Injectable()
export class PublicEventsHandler {
  constructor(private readonly recordPublicEvent: RecordPublicEvent) {}

  @OnEvent(PublicJobPosted)
  @OnEvent(PublicJobClosed)
  @OnEvent(PublicInvoicePaid)
  @OnEvent(PublicRewardGranted)
  @OnEvent(PublicProposalDecided)
  async onPublicEvent(event: EventEnvelope, tx: EntityManager): Promise<void> {
    await this.recordPublicEvent.execute(systemContext({ tx, traceparent: event.traceparent }), event);
  }
}

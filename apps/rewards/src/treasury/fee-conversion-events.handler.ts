import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FeesConverted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { CreditFeeBuyback } from './credit-fee-buyback';

/**
 * payments.events.v1 -> the DAO treasury. Only payments may send FeesConverted: the consumer
 * dead-letters a copy from another source or topic before it gets here. A redelivered event
 * stops at the inbox; a replay under a new event id stops at the conversion's ledger key.
 */
@Injectable()
export class FeeConversionEventsHandler {
  constructor(private readonly creditFeeBuyback: CreditFeeBuyback) {}

  @OnEvent(FeesConverted)
  async onFeesConverted(event: EnvelopeOf<typeof FeesConverted>, tx: EntityManager): Promise<void> {
    await this.creditFeeBuyback.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}

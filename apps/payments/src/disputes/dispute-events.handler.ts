import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DisputeOpened, DisputeResolved, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { HoldDisputedInvoices } from './hold-disputed-invoices';
import { SettleDisputedInvoices } from './settle-disputed-invoices';

/** Governance's disputes, applied to the contract's invoices in the inbox transaction. */
@Injectable()
export class DisputeEventsHandler {
  constructor(
    private readonly holdDisputedInvoices: HoldDisputedInvoices,
    private readonly settleDisputedInvoices: SettleDisputedInvoices,
  ) {}

  @OnEvent(DisputeOpened)
  async onDisputeOpened(event: EnvelopeOf<typeof DisputeOpened>, tx: EntityManager): Promise<void> {
    await this.holdDisputedInvoices.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(DisputeResolved)
  async onDisputeResolved(event: EnvelopeOf<typeof DisputeResolved>, tx: EntityManager): Promise<void> {
    await this.settleDisputedInvoices.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}

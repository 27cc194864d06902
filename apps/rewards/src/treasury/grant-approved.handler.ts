import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GrantApproved, KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { PayAwaitingTreasuryGrants } from './pay-awaiting-treasury-grants';
import { PayTreasuryGrant } from './pay-treasury-grant';

/**
 * governance.events.v1 -> grants paid from the DAO treasury. Only governance may send
 * GrantApproved: the consumer dead-letters a copy from another source or topic before it gets
 * here. A redelivered event stops at the inbox; a replay under a new event id at the proposal's
 * `treasury_grants` row (and its ledger key).
 */
@Injectable()
export class GrantApprovedHandler {
  constructor(
    private readonly payGrant: PayTreasuryGrant,
    private readonly payAwaitingGrants: PayAwaitingTreasuryGrants,
  ) {}

  @OnEvent(GrantApproved)
  async onGrantApproved(event: EnvelopeOf<typeof GrantApproved>, tx: EntityManager): Promise<void> {
    await this.payGrant.execute(systemContext({ tx, traceparent: event.traceparent }), { ...event.payload, eventId: event.id });
  }

  /** identity.events.v1: a recipient's approval pays the treasury grants that waited for it. */
  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.payAwaitingGrants.execute(systemContext({ tx, traceparent: event.traceparent }), { userId: event.payload.userId });
  }
}

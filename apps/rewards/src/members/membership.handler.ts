import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { MembershipProjection, OnEvent } from '@talent/platform';
import { GrantsService } from '../grants/grants.service';
import { Ledger } from '../ledger/ledger';

/**
 * identity.events.v1: a KycApproved user becomes a member here too (the shared projection), gets a
 * wallet, and is paid the rewards that waited for the approval; all in the consumer's transaction.
 */
@Injectable()
export class RewardsMembershipHandler {
  constructor(
    private readonly membership: MembershipProjection,
    private readonly ledger: Ledger,
    private readonly grants: GrantsService,
  ) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.membership.record(tx, event.payload);
    await this.ledger.openWallet(tx, event.payload.userId);
    await this.grants.settleAwaitingMembership(tx, event.payload.userId, event.payload.approvedAt);
  }
}

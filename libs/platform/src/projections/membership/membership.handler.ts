import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '../../messaging/on-event.decorator';
import { MembershipProjection } from './membership-projection';

/**
 * identity.events.v1: a KycApproved user becomes a member here too. For a service whose
 * approval does more (rewards opens a wallet), its own handler calls `record` first instead.
 */
@Injectable()
export class MembershipHandler {
  constructor(private readonly membership: MembershipProjection) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.membership.record(tx, event.payload);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { GrantsService } from '../grants/grants.service';
import { MembersService } from './members.service';

/** identity.events.v1: a KycApproved user becomes a member here too. */
@Injectable()
export class MembershipHandler {
  constructor(
    private readonly members: MembersService,
    private readonly grants: GrantsService,
  ) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.members.recordApproval(tx, event.payload);
    await this.grants.settleAwaitingMembership(tx, event.payload.userId, event.payload.approvedAt);
  }
}

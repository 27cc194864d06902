import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { MembersService } from './members.service';

/** Feeds the members projection from identity's KycApproved. */
@Injectable()
export class MembersHandler {
  constructor(private readonly members: MembersService) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.members.recordMember(tx, event.payload);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { AdmitMember } from './admit-member';

/** identity.events.v1: a KycApproved user is admitted as a member, in the consumer's transaction. */
@Injectable()
export class RewardsMembershipHandler {
  constructor(private readonly admitMember: AdmitMember) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.admitMember.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}

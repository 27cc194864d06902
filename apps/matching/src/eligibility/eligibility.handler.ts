import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, TalentScreened, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordTalentMembership } from './record-talent-membership';
import { RecordTalentScreening } from './record-talent-screening';

/**
 * Consumes identity.events.v1. Eligibility comes from events only, in any order relative
 * to the profile: before it exists the state waits in talent_eligibility; once a profile
 * turns eligible it is matched to open jobs, and once it turns ineligible it leaves them.
 */
@Injectable()
export class EligibilityHandler {
  constructor(
    private readonly recordMembership: RecordTalentMembership,
    private readonly recordScreening: RecordTalentScreening,
  ) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    await this.recordMembership.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  @OnEvent(TalentScreened)
  async onTalentScreened(event: EnvelopeOf<typeof TalentScreened>, tx: EntityManager): Promise<void> {
    await this.recordScreening.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}

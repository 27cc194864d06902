import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KycApproved, TalentScreened, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { MatchesService } from '../matches/matches.service';
import { ProfilesService } from '../profiles/profiles.service';
import { EligibilityService } from './eligibility.service';

/**
 * Consumes identity.events.v1. Eligibility comes from events only, in any order relative
 * to the profile: before it exists the state waits in talent_eligibility; once a profile
 * turns eligible it is matched to open jobs, and once it turns ineligible it leaves them.
 */
@Injectable()
export class EligibilityHandler {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly profiles: ProfilesService,
    private readonly matches: MatchesService,
  ) {}

  @OnEvent(KycApproved)
  async onKycApproved(event: EnvelopeOf<typeof KycApproved>, tx: EntityManager): Promise<void> {
    const { userId, approvedAt } = event.payload;
    await this.eligibility.lockTalent(tx, userId);
    await this.eligibility.recordMembership(tx, userId, approvedAt);
    await this.refresh(tx, userId, event.traceparent);
  }

  @OnEvent(TalentScreened)
  async onTalentScreened(event: EnvelopeOf<typeof TalentScreened>, tx: EntityManager): Promise<void> {
    const { talentId, decision, screenedAt } = event.payload;
    await this.eligibility.lockTalent(tx, talentId);
    await this.eligibility.recordScreening(tx, talentId, decision, screenedAt);
    await this.refresh(tx, talentId, event.traceparent);
  }

  private async refresh(tx: EntityManager, talentId: string, traceparent?: string): Promise<void> {
    const change = await this.profiles.syncEligibility(tx, talentId);
    if (change && change.before !== change.after) await this.matches.rematchForTalent(tx, talentId, traceparent);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RatingSubmitted, ReferralQualified, TalentScreened, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { PolicyKeys } from '../policies/policies.service';
import { GrantsService } from './grants.service';

/**
 * The events that earn rewards, each mapped to one grant (thin: the rules live in GrantsService).
 * They run in the inbox transaction, so a redelivered event is skipped before it gets here,
 * and the grant's own unique key stops a re-published copy with a new event id.
 */
@Injectable()
export class RewardEventsHandler {
  constructor(private readonly grants: GrantsService) {}

  /** Screening work is the same whatever the decision: the inspector is paid for approvals and rejections alike. */
  @OnEvent(TalentScreened)
  async onTalentScreened(event: EnvelopeOf<typeof TalentScreened>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.grants.grant(tx, {
      policyKey: PolicyKeys.talentScreened,
      reference: p.screeningId,
      beneficiaryId: p.inspectorId,
      eventId: event.id,
      traceparent: event.traceparent,
      earnedAt: event.occurredAt,
    });
  }

  /** Five stars earn the rated party (talent or client) `rating.five_star`. */
  @OnEvent(RatingSubmitted)
  async onRatingSubmitted(event: EnvelopeOf<typeof RatingSubmitted>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    if (p.stars !== 5) return;
    await this.grants.grant(tx, {
      policyKey: PolicyKeys.fiveStarRating,
      reference: p.ratingId,
      beneficiaryId: p.rateeId,
      eventId: event.id,
      traceparent: event.traceparent,
      earnedAt: event.occurredAt,
    });
  }

  /** The connector earns the policy's rate x the contract value; reference = referralId (referrals waits for it). */
  @OnEvent(ReferralQualified)
  async onReferralQualified(event: EnvelopeOf<typeof ReferralQualified>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.grants.grant(tx, {
      policyKey: p.kind === 'CLIENT' ? PolicyKeys.connectorClientReferral : PolicyKeys.connectorReferral,
      reference: p.referralId,
      beneficiaryId: p.connectorId,
      basis: p.contractValue,
      eventId: event.id,
      traceparent: event.traceparent,
      earnedAt: event.occurredAt,
    });
  }
}

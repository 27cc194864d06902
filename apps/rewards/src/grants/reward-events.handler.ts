import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoicePaid, RatingSubmitted, ReferralQualified, TalentScreened, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordPaidInvoice } from '../earnings/record-paid-invoice';
import { RecordQualifiedReferral } from '../earnings/record-qualified-referral';
import { RecordRating } from '../earnings/record-rating';
import { EarnScreeningReward } from './earn-screening-reward';

/**
 * The events that earn rewards, one call deep into their use cases. They run in the inbox
 * transaction, so a redelivered event is skipped before it gets here, and each grant's own
 * unique key stops a re-published copy with a new event id.
 */
@Injectable()
export class RewardEventsHandler {
  constructor(
    private readonly earnScreeningReward: EarnScreeningReward,
    private readonly recordRating: RecordRating,
    private readonly recordQualifiedReferral: RecordQualifiedReferral,
    private readonly recordPaidInvoice: RecordPaidInvoice,
  ) {}

  @OnEvent(TalentScreened)
  async onTalentScreened(event: EnvelopeOf<typeof TalentScreened>, tx: EntityManager): Promise<void> {
    const { talentId, inspectorId } = event.payload;
    await this.earnScreeningReward.execute(systemContext({ tx, traceparent: event.traceparent }), {
      talentId,
      inspectorId,
      eventId: event.id,
      earnedAt: event.occurredAt,
    });
  }

  @OnEvent(RatingSubmitted)
  async onRatingSubmitted(event: EnvelopeOf<typeof RatingSubmitted>, tx: EntityManager): Promise<void> {
    await this.recordRating.execute(systemContext({ tx, traceparent: event.traceparent }), { ...event.payload, eventId: event.id });
  }

  @OnEvent(ReferralQualified)
  async onReferralQualified(event: EnvelopeOf<typeof ReferralQualified>, tx: EntityManager): Promise<void> {
    await this.recordQualifiedReferral.execute(systemContext({ tx, traceparent: event.traceparent }), { ...event.payload, eventId: event.id });
  }

  @OnEvent(InvoicePaid)
  async onInvoicePaid(event: EnvelopeOf<typeof InvoicePaid>, tx: EntityManager): Promise<void> {
    await this.recordPaidInvoice.execute(systemContext({ tx, traceparent: event.traceparent }), { ...event.payload, eventId: event.id });
  }
}

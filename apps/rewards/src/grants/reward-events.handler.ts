import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoicePaid, RatingSubmitted, ReferralQualified, TalentScreened, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { ContractEarnings } from '../earnings/contract-earnings';
import { PolicyKeys } from '../policies/policies.service';
import { GrantsService } from './grants.service';

/**
 * The events that earn rewards (thin: the rules live in GrantsService and ContractEarnings).
 * They run in the inbox transaction, so a redelivered event is skipped before it gets here,
 * and each grant's own unique key stops a re-published copy with a new event id.
 */
@Injectable()
export class RewardEventsHandler {
  constructor(
    private readonly grants: GrantsService,
    private readonly earnings: ContractEarnings,
  ) {}

  /**
   * Screening pays once per talent, for the first decision (approved or rejected: the work is
   * the same): reference = the talent, and the policy is once-per-reference, so a re-screening
   * by the same or another inspector is recorded and refused (ALREADY_REWARDED).
   */
  @OnEvent(TalentScreened)
  async onTalentScreened(event: EnvelopeOf<typeof TalentScreened>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    this.grants.enqueue(tx, {
      policyKey: PolicyKeys.talentScreened,
      reference: p.talentId,
      beneficiaryId: p.inspectorId,
      eventId: event.id,
      traceparent: event.traceparent,
      earnedAt: event.occurredAt,
    });
  }

  /** A 5-star rating waits for the contract's paid invoices to reach the policy's minimum. */
  @OnEvent(RatingSubmitted)
  async onRatingSubmitted(event: EnvelopeOf<typeof RatingSubmitted>, tx: EntityManager): Promise<void> {
    this.earnings.recordRating(tx, event.payload, { eventId: event.id, traceparent: event.traceparent });
  }

  /** QUALIFIED pays nothing by itself: the connector earns on the contract's paid invoices. */
  @OnEvent(ReferralQualified)
  async onReferralQualified(event: EnvelopeOf<typeof ReferralQualified>, tx: EntityManager): Promise<void> {
    this.earnings.recordReferral(tx, event.payload, { eventId: event.id, traceparent: event.traceparent });
  }

  @OnEvent(InvoicePaid)
  async onInvoicePaid(event: EnvelopeOf<typeof InvoicePaid>, tx: EntityManager): Promise<void> {
    this.earnings.recordPaidInvoice(tx, event.payload, { eventId: event.id, traceparent: event.traceparent });
  }
}

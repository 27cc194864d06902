import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobReferralCreated, ReferralAttributed, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordReferralRelation } from './record-referral-relation';

/** Who referred whom, from referrals' events, in the inbox transaction. */
@Injectable()
export class ReferralRelationsHandler {
  constructor(private readonly recordRelation: RecordReferralRelation) {}

  @OnEvent(ReferralAttributed)
  async onReferralAttributed(event: EnvelopeOf<typeof ReferralAttributed>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.recordRelation.execute(systemContext({ tx, traceparent: event.traceparent }), {
      sourceId: p.referralId,
      kind: 'SIGNUP',
      connectorId: p.connectorId,
      referredId: p.referredUserId,
      referredAt: p.attributedAt,
    });
  }

  @OnEvent(JobReferralCreated)
  async onJobReferralCreated(event: EnvelopeOf<typeof JobReferralCreated>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.recordRelation.execute(systemContext({ tx, traceparent: event.traceparent }), {
      sourceId: p.jobReferralId,
      kind: 'JOB',
      connectorId: p.connectorId,
      referredId: p.talentId,
      referredAt: p.createdAt,
    });
  }
}

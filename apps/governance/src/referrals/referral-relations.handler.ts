import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobReferralCreated, ReferralAttributed, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';

/**
 * Who referred whom, from referrals' events: a signup attributed to a connector
 * (ReferralAttributed) and a talent referred to a job (JobReferralCreated). A relation is kept
 * even when referrals later invalidates the referral (self-referral, ring): it pays nothing,
 * but it still says the two know each other, which is what matters for a jury.
 * "Related by referral" (see DisputeJury): one referred the other, or both were referred by
 * the same connector.
 */
@Injectable()
export class ReferralRelationsHandler {
  @OnEvent(ReferralAttributed)
  async onReferralAttributed(event: EnvelopeOf<typeof ReferralAttributed>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.record(tx, p.referralId, 'SIGNUP', p.connectorId, p.referredUserId, p.attributedAt);
  }

  @OnEvent(JobReferralCreated)
  async onJobReferralCreated(event: EnvelopeOf<typeof JobReferralCreated>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.record(tx, p.jobReferralId, 'JOB', p.connectorId, p.talentId, p.createdAt);
  }

  private async record(tx: EntityManager, sourceId: string, kind: 'SIGNUP' | 'JOB', connectorId: string, referredId: string, at: string): Promise<void> {
    await tx.query(
      `INSERT INTO referral_relations (source_id, kind, connector_id, referred_id, referred_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source_id) DO NOTHING`,
      [sourceId.toLowerCase(), kind, connectorId.toLowerCase(), referredId.toLowerCase(), at],
    );
  }
}

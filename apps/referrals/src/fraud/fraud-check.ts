import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, MembershipProjection } from '@talent/platform';
import type { ReferralsConfig } from '../config';
import type { InvalidReason, ReferralRef } from '../shared/referral.types';
import { closesRing, type ReferredBy } from './ring';
import { creationVerdict, qualificationVerdict, utcDay } from './rules';

const NO_REFERRAL = '00000000-0000-0000-0000-000000000000';

/**
 * Gathers the facts the fraud rules need from the database and applies the rules.
 * Callers hold the referral-graph lock (see `lockReferralGraph`).
 */
@Injectable()
export class FraudCheck {
  constructor(
    private readonly membership: MembershipProjection,
    @Inject(APP_CONFIG) private readonly config: ReferralsConfig,
  ) {}

  async onCreation(tx: EntityManager, connectorId: string, referredUserId: string): Promise<InvalidReason | null> {
    return creationVerdict({
      connectorId,
      referredUserId,
      closesRing: await closesRing(connectorId, referredUserId, this.referredBy(tx, NO_REFERRAL)),
    });
  }

  async onQualification(tx: EntityManager, referral: ReferralRef, contractStartedAt: Date): Promise<InvalidReason | null> {
    const { connectorId, referredUserId, kind } = referral;
    const day = utcDay(contractStartedAt);
    const [{ qualified, that_day }] = await tx.query(
      `SELECT
         EXISTS (SELECT 1 FROM qualifications WHERE referred_user_id = $2 AND kind = $3) AS qualified,
         (SELECT count(*)::int FROM qualifications WHERE connector_id = $1 AND contract_started_at >= $4 AND contract_started_at < $5) AS that_day`,
      [connectorId, referredUserId, kind, day.start, day.end],
    );
    return qualificationVerdict({
      connectorId,
      referredUserId,
      closesRing: await closesRing(connectorId, referredUserId, this.referredBy(tx, referral.id)),
      connectorIsMember: await this.membership.isMember(tx, connectorId),
      alreadyQualified: qualified,
      connectorQualificationsThatDay: that_day,
      dailyCap: this.config.REFERRAL_DAILY_CAP,
    });
  }

  /**
   * Referral edges (connector -> referred) of both kinds, leaving out the referral being judged
   * and those refused as self-referrals or rings: a refused referral links nobody.
   */
  private referredBy(tx: EntityManager, excludeId: string): ReferredBy {
    return async (from) => {
      const rows: Array<{ id: string }> = await tx.query(
        `SELECT referred_user_id AS id FROM referrals
          WHERE connector_id = ANY ($1::uuid[]) AND id <> $2 AND invalid_reason IS DISTINCT FROM 'SELF_REFERRAL' AND invalid_reason IS DISTINCT FROM 'REFERRAL_RING'
         UNION
         SELECT talent_id FROM job_referrals
          WHERE connector_id = ANY ($1::uuid[]) AND id <> $2 AND invalid_reason IS DISTINCT FROM 'SELF_REFERRAL' AND invalid_reason IS DISTINCT FROM 'REFERRAL_RING'`,
        [from, excludeId],
      );
      return rows.map((r) => r.id);
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { PayloadOf, RewardGranted } from '@talent/events';
import { isUuid, ROOT_LOGGER } from '@talent/platform';
import { findReferral, updateReferral } from '../shared/referral-store';

/** The reward policies that pay connectors for referrals; their grants reference the referral id. */
export const REFERRAL_POLICIES: ReadonlySet<string> = new Set(['connector.referral', 'connector.client_referral']);

/**
 * Use case: rewards paid a connector for a qualified referral; the referral shows REWARDED
 * with the amount. Grants of other policies, or that do not match a qualified referral of
 * that connector, are not ours to record (logged, ignored).
 */
@Injectable()
export class RecordReward {
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.log = logger.child({ component: 'qualification' });
  }

  async execute(tx: EntityManager, grant: PayloadOf<typeof RewardGranted>): Promise<void> {
    if (!REFERRAL_POLICIES.has(grant.policy)) return;
    const referral = isUuid(grant.reference) ? await findReferral(tx, grant.reference.toLowerCase()) : null;
    const context = { grantId: grant.grantId, policy: grant.policy, reference: grant.reference };
    if (!referral) {
      this.log.warn(context, 'referral reward for an unknown referral; ignored');
    } else if (referral.connectorId !== grant.beneficiaryId) {
      this.log.warn(context, 'referral reward paid to someone other than the connector; ignored');
    } else if (referral.status !== 'QUALIFIED') {
      this.log.warn({ ...context, status: referral.status }, 'referral reward for a referral that is not QUALIFIED; ignored');
    } else {
      await updateReferral(tx, referral, { status: 'REWARDED', rewardAmount: grant.amount });
    }
  }
}

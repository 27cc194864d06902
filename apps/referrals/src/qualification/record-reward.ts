import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { RewardGranted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, isUuid, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { findReferral, updateReferral } from '../shared/referral-store';

/** The reward policies that pay connectors for referrals; their grants name the referral as `sourceId`. */
export const REFERRAL_POLICIES: ReadonlySet<string> = new Set(['connector.referral', 'connector.client_referral']);

const RecordRewardCommand = RewardGranted.schema;

/**
 * Use case (the system's, on RewardGranted): rewards paid a connector for a qualified referral (one grant per paid invoice of
 * the hire's contract, `sourceId` = the referral id): the referral shows REWARDED with the
 * running total of its grants. Each grant counts once (kept by grant id). Grants of other
 * policies, or that do not match a qualified referral of that connector, are not ours to
 * record (logged, ignored).
 */
@Injectable()
export class RecordReward implements UseCase<z.input<typeof RecordRewardCommand>, void> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'qualification' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordRewardCommand>): Promise<void> {
    assertSystem(ctx, 'RecordReward');
    const grant = parseCommand(RecordRewardCommand, input);
    if (!REFERRAL_POLICIES.has(grant.policy)) return;
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const referralId = grant.sourceId;
      const referral = referralId && isUuid(referralId) ? await findReferral(tx, referralId.toLowerCase()) : null;
      const context = { grantId: grant.grantId, policy: grant.policy, reference: grant.reference, sourceId: grant.sourceId };
      if (!referral) {
        this.log.warn(context, 'referral reward for an unknown referral; ignored');
      } else if (referral.connectorId !== grant.beneficiaryId) {
        this.log.warn(context, 'referral reward paid to someone other than the connector; ignored');
      } else if (referral.status !== 'QUALIFIED' && referral.status !== 'REWARDED') {
        this.log.warn({ ...context, status: referral.status }, 'referral reward for a referral that is not QUALIFIED; ignored');
      } else {
        const recorded: unknown[] = await tx.query(
          `INSERT INTO referral_rewards (grant_id, referral_id, amount, reference, granted_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (grant_id) DO NOTHING RETURNING grant_id`,
          [grant.grantId, referral.id, grant.amount, grant.reference, grant.grantedAt],
        );
        if (recorded.length === 0) return; // this grant was counted already
        const [{ total }]: Array<{ total: string }> = await tx.query(
          `SELECT trim_scale(sum(amount))::text AS total FROM referral_rewards WHERE referral_id = $1`,
          [referral.id],
        );
        await updateReferral(tx, referral, { status: 'REWARDED', rewardAmount: total });
      }
    });
  }
}

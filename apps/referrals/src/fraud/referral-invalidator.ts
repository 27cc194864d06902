import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { ReferralInvalidated } from '@talent/events';
import { EventPublisher, ROOT_LOGGER } from '@talent/platform';
import { updateReferral } from '../shared/referral-store';
import type { InvalidReason, ReferralRef } from '../shared/referral.types';

/** Refused referrals are never dropped: they stay, INVALID with the reason, and the network hears of it. */
@Injectable()
export class ReferralInvalidator {
  private readonly log: Logger;

  constructor(
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'fraud' });
  }

  /** Turns a pending referral INVALID and announces it. */
  async invalidate(tx: EntityManager, referral: ReferralRef, reason: InvalidReason, traceparent?: string): Promise<void> {
    await updateReferral(tx, referral, { status: 'INVALID', invalidReason: reason });
    await this.announce(tx, referral, reason, traceparent);
  }

  /** Announces a referral stored INVALID (refused when it was made). */
  async announce(tx: EntityManager, referral: ReferralRef, reason: InvalidReason, traceparent?: string): Promise<void> {
    await this.events.publish(
      tx,
      ReferralInvalidated,
      {
        referralId: referral.id,
        referralType: referral.type,
        connectorId: referral.connectorId,
        referredUserId: referral.referredUserId,
        reason,
        invalidatedAt: new Date().toISOString(),
      },
      { traceparent },
    );
    this.log.info({ referralId: referral.id, referralType: referral.type, connectorId: referral.connectorId, reason }, 'referral refused by a fraud rule');
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ReferralAttributed, UserRegistered } from '@talent/events';
import { assertSystem, EventPublisher, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { CodesService } from '../codes/codes.service';
import { normalizeReferralCode } from '../codes/referral-code';
import { FraudCheck } from '../fraud/fraud-check';
import { lockReferralGraph } from '../fraud/referral-graph.lock';
import { ReferralInvalidator } from '../fraud/referral-invalidator';
import { signupKind } from './signup-kind';
import { SignupReferralRecord, signupReferralRef } from './signup-referral.entity';

const AttributeSignupCommand = UserRegistered.schema;

/**
 * Use case (the system's, on UserRegistered): a registration with a referral code is attributed to the code's owner.
 * An unknown code is ignored (logged at info): the registration itself already succeeded.
 * A self-referral or a referral ring is kept as INVALID with its reason and announced.
 */
@Injectable()
export class AttributeSignup implements UseCase<z.input<typeof AttributeSignupCommand>, void> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly codes: CodesService,
    private readonly fraud: FraudCheck,
    private readonly invalidator: ReferralInvalidator,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'signup-referrals' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof AttributeSignupCommand>): Promise<void> {
    assertSystem(ctx, 'AttributeSignup');
    const registration = parseCommand(AttributeSignupCommand, input);
    const { userId, referralCode: typed } = registration;
    if (!typed) return;
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const code = normalizeReferralCode(typed);
      const connectorId = code ? await this.codes.ownerOf(tx, code) : null;
      if (!code || !connectorId) {
        this.log.info({ userId }, 'unknown referral code at signup; ignored');
        return;
      }
      const kind = signupKind(registration.roles);
      if (!kind) {
        this.log.info({ userId, connectorId }, 'referral code at signup ignored: the new user is neither talent nor client');
        return;
      }
      await lockReferralGraph(tx);
      const repo = tx.getRepository(SignupReferralRecord);
      if (await repo.existsBy({ referredUserId: userId })) return; // one signup referral per user
      const reason = await this.fraud.onCreation(tx, connectorId, userId);
      const now = new Date();
      const record = repo.create({
        id: randomUUID(),
        connectorId,
        referredUserId: userId,
        kind,
        code,
        status: reason ? 'INVALID' : 'SIGNED_UP',
        invalidReason: reason,
        rewardAmount: null,
        createdAt: new Date(registration.registeredAt),
        updatedAt: now,
      });
      await repo.insert(record);
      await this.events.publish(
        tx,
        ReferralAttributed,
        { referralId: record.id, connectorId, referredUserId: userId, kind, attributedAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      if (reason) await this.invalidator.announce(tx, signupReferralRef(record), reason, ctx.traceparent);
    });
  }
}

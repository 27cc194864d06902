import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StakeLocked, StakeRejected, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { ConfirmStake } from './confirm-stake';
import { RejectStake } from './reject-stake';

/** Consumes rewards.events.v1: the outcome of locking an application's stake, in the inbox transaction. */
@Injectable()
export class StakeOutcomeHandler {
  constructor(
    private readonly confirmStake: ConfirmStake,
    private readonly rejectStake: RejectStake,
  ) {}

  @OnEvent(StakeLocked)
  async onStakeLocked(event: EnvelopeOf<typeof StakeLocked>, tx: EntityManager): Promise<void> {
    await this.confirmStake.execute(systemContext({ tx, traceparent: event.traceparent }), { applicationId: event.payload.applicationId });
  }

  @OnEvent(StakeRejected)
  async onStakeRejected(event: EnvelopeOf<typeof StakeRejected>, tx: EntityManager): Promise<void> {
    const { applicationId, reason } = event.payload;
    await this.rejectStake.execute(systemContext({ tx, traceparent: event.traceparent }), { applicationId, reason });
  }
}

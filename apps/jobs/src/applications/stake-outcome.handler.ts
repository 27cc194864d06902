import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StakeLocked, StakeRejected, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { ApplicationsService } from './applications.service';

/** Consumes rewards.events.v1: the outcome of locking an application's stake. */
@Injectable()
export class StakeOutcomeHandler {
  constructor(private readonly applications: ApplicationsService) {}

  @OnEvent(StakeLocked)
  async onStakeLocked(event: EnvelopeOf<typeof StakeLocked>, tx: EntityManager): Promise<void> {
    await this.applications.confirmStake(tx, event.payload.applicationId);
  }

  @OnEvent(StakeRejected)
  async onStakeRejected(event: EnvelopeOf<typeof StakeRejected>, tx: EntityManager): Promise<void> {
    await this.applications.rejectStake(tx, event.payload.applicationId, event.payload.reason, event.traceparent);
  }
}

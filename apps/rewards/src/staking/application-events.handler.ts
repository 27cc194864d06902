import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationResolved, ApplicationSubmitted, InterviewRecorded, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { StakingService } from './staking.service';

/** jobs.events.v1 -> stakes. One application's events share a key, so they arrive in order. */
@Injectable()
export class ApplicationEventsHandler {
  constructor(private readonly staking: StakingService) {}

  @OnEvent(ApplicationSubmitted)
  async onApplicationSubmitted(event: EnvelopeOf<typeof ApplicationSubmitted>, tx: EntityManager): Promise<void> {
    await this.staking.lock(tx, event.payload, event.traceparent);
  }

  @OnEvent(InterviewRecorded)
  async onInterviewRecorded(event: EnvelopeOf<typeof InterviewRecorded>, tx: EntityManager): Promise<void> {
    if (event.payload.outcome === 'NO_SHOW') await this.staking.slash(tx, event.payload.applicationId, event.traceparent);
  }

  /**
   * Releases a stake still locked. An application that ended for a no-show whose
   * InterviewRecorded was not seen is slashed instead; a slashed or released stake stays as it is.
   */
  @OnEvent(ApplicationResolved)
  async onApplicationResolved(event: EnvelopeOf<typeof ApplicationResolved>, tx: EntityManager): Promise<void> {
    const { applicationId, reason } = event.payload;
    if (reason === 'NO_SHOW') await this.staking.slash(tx, applicationId, event.traceparent);
    else await this.staking.release(tx, applicationId, event.traceparent);
  }
}

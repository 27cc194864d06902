import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationResolved, ApplicationSubmitted, InterviewRecorded, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { LockApplicationStake } from './lock-application-stake';
import { SettleApplicationStake } from './settle-application-stake';

/** jobs.events.v1 -> stakes, in the inbox transaction. One application's events share a key, so they arrive in order. */
@Injectable()
export class ApplicationEventsHandler {
  constructor(
    private readonly lockStake: LockApplicationStake,
    private readonly settleStake: SettleApplicationStake,
  ) {}

  @OnEvent(ApplicationSubmitted)
  async onApplicationSubmitted(event: EnvelopeOf<typeof ApplicationSubmitted>, tx: EntityManager): Promise<void> {
    await this.lockStake.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }

  /** Only a no-show settles anything here: it slashes the stake. */
  @OnEvent(InterviewRecorded)
  async onInterviewRecorded(event: EnvelopeOf<typeof InterviewRecorded>, tx: EntityManager): Promise<void> {
    if (event.payload.outcome !== 'NO_SHOW') return;
    await this.settleStake.execute(systemContext({ tx, traceparent: event.traceparent }), {
      applicationId: event.payload.applicationId,
      settlement: 'SLASHED',
    });
  }

  /**
   * Releases a stake still locked. An application that ended for a no-show whose
   * InterviewRecorded was not seen is slashed instead.
   */
  @OnEvent(ApplicationResolved)
  async onApplicationResolved(event: EnvelopeOf<typeof ApplicationResolved>, tx: EntityManager): Promise<void> {
    const { applicationId, reason } = event.payload;
    await this.settleStake.execute(systemContext({ tx, traceparent: event.traceparent }), {
      applicationId,
      settlement: reason === 'NO_SHOW' ? 'SLASHED' : 'RELEASED',
    });
  }
}

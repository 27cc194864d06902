import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RatingSubmitted, type EnvelopeOf } from '@talent/events';
import { OnEvent, systemContext } from '@talent/platform';
import { RecordTalentReputation } from './record-talent-reputation';

/** Consumes RatingSubmitted (jobs.events.v1): a talent's reputation feeds their ranking. */
@Injectable()
export class ReputationHandler {
  constructor(private readonly recordReputation: RecordTalentReputation) {}

  @OnEvent(RatingSubmitted)
  async onRatingSubmitted(event: EnvelopeOf<typeof RatingSubmitted>, tx: EntityManager): Promise<void> {
    await this.recordReputation.execute(systemContext({ tx, traceparent: event.traceparent }), event.payload);
  }
}

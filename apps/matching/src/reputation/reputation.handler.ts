import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RatingSubmitted, type EnvelopeOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { EligibilityService } from '../eligibility/eligibility.service';
import { MatchesService } from '../matches/matches.service';
import { ProfilesService } from '../profiles/profiles.service';

/**
 * Consumes RatingSubmitted (jobs.events.v1) for talent: the event carries the talent's
 * reputation after the rating, so matching keeps the latest one (the highest count wins:
 * ratings are only ever added, and events of different contracts may arrive out of order).
 */
@Injectable()
export class ReputationHandler {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly profiles: ProfilesService,
    private readonly matches: MatchesService,
  ) {}

  @OnEvent(RatingSubmitted)
  async onRatingSubmitted(event: EnvelopeOf<typeof RatingSubmitted>, tx: EntityManager): Promise<void> {
    const { rateeId, rateeRole, rateeAverageRating, rateeRatingsCount } = event.payload;
    if (rateeRole !== 'TALENT') return;
    await this.eligibility.lockTalent(tx, rateeId);
    const applied: unknown[] = await tx.query(
      `INSERT INTO talent_reputation AS r (talent_id, average_rating, ratings_count) VALUES ($1, $2, $3)
       ON CONFLICT (talent_id) DO UPDATE SET average_rating = excluded.average_rating, ratings_count = excluded.ratings_count, updated_at = now()
         WHERE r.ratings_count < excluded.ratings_count
       RETURNING talent_id`,
      [rateeId, rateeAverageRating, rateeRatingsCount],
    );
    if (applied.length === 0) return; // an older rating than the one already applied
    const eligible = await this.profiles.applyReputation(tx, rateeId, rateeAverageRating, rateeRatingsCount);
    if (eligible) await this.matches.rematchForTalent(tx, rateeId, event.traceparent);
  }
}

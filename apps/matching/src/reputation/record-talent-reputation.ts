import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { RatingSubmitted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { EligibilityService } from '../eligibility/eligibility.service';
import { MatchesService } from '../matches/matches.service';
import { ProfilesService } from '../profiles/profiles.service';

const RecordTalentReputationCommand = RatingSubmitted.schema.pick({
  rateeId: true,
  rateeRole: true,
  rateeAverageRating: true,
  rateeRatingsCount: true,
});

/**
 * Use case (the system's, on RatingSubmitted for a talent): the event carries the talent's
 * reputation after the rating, so matching keeps the latest one (the highest count wins:
 * ratings are only ever added, and events of different contracts may arrive out of order).
 * An eligible profile's jobs are re-ranked.
 */
@Injectable()
export class RecordTalentReputation implements UseCase<z.input<typeof RecordTalentReputationCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eligibility: EligibilityService,
    private readonly profiles: ProfilesService,
    private readonly matches: MatchesService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordTalentReputationCommand>): Promise<void> {
    assertSystem(ctx, 'RecordTalentReputation');
    const { rateeId, rateeRole, rateeAverageRating, rateeRatingsCount } = parseCommand(RecordTalentReputationCommand, input);
    if (rateeRole !== 'TALENT') return;
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
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
      if (eligible) await this.matches.rematchForTalent(tx, rateeId, ctx.traceparent);
    });
  }
}

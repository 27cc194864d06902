import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { isEligible } from '../eligibility/eligibility';
import { reputationScore } from '../ranking/scoring';
import { TalentProfileRecord } from './talent-profile.entity';

/** Talent profiles: reads, and the changes other use cases make to them (eligibility, reputation). */
@Injectable()
export class ProfilesService {
  constructor(private readonly dataSource: DataSource) {}

  findByUserId(tx: EntityManager, userId: string): Promise<TalentProfileRecord | null> {
    return tx.getRepository(TalentProfileRecord).findOneBy({ userId });
  }

  /** The profiles of many users (lower-case UUIDs) in one query; users without one are absent. */
  async findByUserIds(userIds: readonly string[]): Promise<Map<string, TalentProfileRecord>> {
    const profiles = await this.dataSource.getRepository(TalentProfileRecord).findBy({ userId: In([...userIds]) });
    return new Map(profiles.map((p) => [p.userId, p]));
  }

  /**
   * Recomputes a profile's `eligible` flag from talent_eligibility (the caller holds the
   * talent's lock). Null when the talent has no profile yet.
   */
  async syncEligibility(tx: EntityManager, talentId: string): Promise<{ before: boolean; after: boolean } | null> {
    const profile = await this.findByUserId(tx, talentId);
    if (!profile) return null;
    const [state] = await tx.query(`SELECT member, screening FROM talent_eligibility WHERE talent_id = $1`, [talentId]);
    const after = isEligible(state ?? null, profile.openToWork);
    if (after !== profile.eligible) {
      await tx.query(`UPDATE talent_profiles SET eligible = $2 WHERE user_id = $1`, [talentId, after]);
    }
    return { before: profile.eligible, after };
  }

  /** Copies a talent's reputation into their profile; returns whether they have an eligible profile. */
  async applyReputation(tx: EntityManager, talentId: string, averageRating: number, ratingsCount: number): Promise<boolean> {
    // TypeORM hands back [rows, count] for UPDATE.
    const [rows]: [Array<{ eligible: boolean }>, number] = await tx.query(
      `UPDATE talent_profiles SET average_rating = $2, ratings_count = $3, rep_score = $4 WHERE user_id = $1 RETURNING eligible`,
      [talentId, averageRating, ratingsCount, reputationScore(averageRating, ratingsCount)],
    );
    return rows[0]?.eligible ?? false;
  }
}

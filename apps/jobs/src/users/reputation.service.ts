import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReputationModel } from './user.model';

interface ReputationRow {
  user_id: string;
  average_rating: string | null;
  ratings_count: number;
  five_star_count: number;
  completed_contracts: number;
}

const toModel = (row: ReputationRow | undefined): ReputationModel =>
  Object.assign(new ReputationModel(), {
    averageRating: row?.average_rating == null ? null : Number(row.average_rating),
    ratingsCount: row?.ratings_count ?? 0,
    fiveStarCount: row?.five_star_count ?? 0,
    completedContracts: row?.completed_contracts ?? 0,
  });

export const emptyReputation = (): ReputationModel => toModel(undefined);

/**
 * Reputation is derived, never stored: one aggregate query over ratings (index on ratee_id)
 * and completed contracts (partial indexes on talent_id / client_id) for any number of users.
 */
@Injectable()
export class ReputationService {
  constructor(private readonly dataSource: DataSource) {}

  /** Reputations of users, read outside any transaction (field resolvers). */
  of(userIds: readonly string[]): Promise<Map<string, ReputationModel>> {
    return this.query(this.dataSource.manager, userIds);
  }

  /** One user's reputation in the caller's transaction (a rating sees itself). */
  async one(userId: string, tx: EntityManager): Promise<ReputationModel> {
    return (await this.query(tx, [userId])).get(userId) ?? emptyReputation();
  }

  private async query(tx: EntityManager, userIds: readonly string[]): Promise<Map<string, ReputationModel>> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return new Map();
    const rows: ReputationRow[] = await tx.query(
      `SELECT u.id AS user_id,
              r.average_rating::text AS average_rating,
              coalesce(r.ratings_count, 0)::int AS ratings_count,
              coalesce(r.five_star_count, 0)::int AS five_star_count,
              (SELECT count(*) FROM contracts c WHERE c.status = 'COMPLETED' AND c.talent_id = u.id)::int
                + (SELECT count(*) FROM contracts c WHERE c.status = 'COMPLETED' AND c.client_id = u.id)::int AS completed_contracts
         FROM unnest($1::uuid[]) AS u(id)
         LEFT JOIN LATERAL (
           SELECT round(avg(stars), 2) AS average_rating, count(*) AS ratings_count, count(*) FILTER (WHERE stars = 5) AS five_star_count
             FROM ratings WHERE ratee_id = u.id
         ) r ON true`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.user_id, row]));
    return new Map(ids.map((id) => [id, toModel(byId.get(id))]));
  }
}

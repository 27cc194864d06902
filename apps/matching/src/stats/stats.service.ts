import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MatchingStatsModel } from './matching-stats.model';

/** The matching SLA, computed by PostgreSQL over the jobs projection (first_match_at is set by the first stored match). */
@Injectable()
export class StatsService {
  constructor(private readonly dataSource: DataSource) {}

  async stats(): Promise<MatchingStatsModel> {
    const [row]: Array<{ jobs: number; matched_24h: number; median: number | null; average: number | null }> = await this.dataSource.query(
      `SELECT count(*)::int AS jobs,
              (count(*) FILTER (WHERE first_match_at <= posted_at + interval '24 hours'))::int AS matched_24h,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM first_match_at - posted_at))::float8)
                FILTER (WHERE first_match_at IS NOT NULL) AS median,
              avg(match_count)::float8 AS average
         FROM jobs`,
    );
    return Object.assign(new MatchingStatsModel(), {
      jobsPosted: row.jobs,
      matchRate24h: row.jobs > 0 ? row.matched_24h / row.jobs : 0,
      medianSecondsToFirstMatch: row.median,
      averageCandidatesPerJob: row.average ?? 0,
    });
  }
}

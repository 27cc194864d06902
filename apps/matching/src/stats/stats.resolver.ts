import { Query, Resolver } from '@nestjs/graphql';
import { MatchingStatsModel } from './matching-stats.model';
import { StatsService } from './stats.service';

@Resolver(() => MatchingStatsModel)
export class StatsResolver {
  constructor(private readonly stats: StatsService) {}

  @Query(() => MatchingStatsModel, { description: 'The matching SLA (public).' })
  matchingStats(): Promise<MatchingStatsModel> {
    return this.stats.stats();
  }
}

import { Query, Resolver } from '@nestjs/graphql';
import { NetworkStatsModel } from './network-stats.model';
import { NetworkStatsService } from './network-stats.service';

/** Public, like Braintrust's network dashboard: no @Authenticated. */
@Resolver(() => NetworkStatsModel)
export class NetworkStatsResolver {
  constructor(private readonly service: NetworkStatsService) {}

  @Query(() => NetworkStatsModel, { description: 'The network dashboard: value paid through the network, fees and the BTRST they bought back.' })
  async networkStats(): Promise<NetworkStatsModel> {
    return Object.assign(new NetworkStatsModel(), await this.service.stats());
  }
}

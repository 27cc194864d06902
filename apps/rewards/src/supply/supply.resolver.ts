import { Query, Resolver } from '@nestjs/graphql';
import { TokenSupplyModel } from './supply.model';
import { SupplyService } from './supply.service';

@Resolver(() => TokenSupplyModel)
export class SupplyResolver {
  constructor(private readonly supply: SupplyService) {}

  @Query(() => TokenSupplyModel, { description: 'The BTRST cap, its allocations, the community pool, the treasury and the rewards paid.' })
  async tokenSupply(): Promise<TokenSupplyModel> {
    return Object.assign(new TokenSupplyModel(), await this.supply.supply());
  }
}

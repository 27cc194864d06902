import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { isUuid } from '@talent/platform';
import { feeConversionRef, FeeConversionRef, TreasuryCreditModel } from './treasury.model';
import { TreasuryService } from './treasury.service';

/** Rewards' part of `FeeConversion`: the treasury credit it produced. Public, like the conversions themselves. */
@Resolver(() => FeeConversionRef)
export class FeeConversionTreasuryResolver {
  constructor(private readonly treasury: TreasuryService) {}

  /** Lookup by key (`_entities`): a key only, nothing read. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'FeeConversion'; id: string }): FeeConversionRef | null {
    return isUuid(ref.id) ? feeConversionRef(ref.id) : null;
  }

  @ResolveField(() => TreasuryCreditModel, {
    nullable: true,
    description: 'What the DAO treasury was credited for this conversion; null until rewards has applied it (or when it bought no BTRST).',
  })
  async treasuryCredit(@Parent() conversion: FeeConversionRef): Promise<TreasuryCreditModel | null> {
    if (!isUuid(conversion.id)) return null;
    const credit = await this.treasury.creditFor(conversion.id);
    return credit && Object.assign(new TreasuryCreditModel(), credit);
  }
}

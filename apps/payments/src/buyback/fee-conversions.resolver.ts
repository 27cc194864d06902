import { Args, Context, Int, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { BadUserInputError, BatchLoader, isUuid, PerRequest, type RequestContext } from '@talent/platform';
import { ConvertedFeeModel, FeeConversionModel } from './fee-conversion.model';
import { FeeConversionsReader } from './fee-conversions.reader';

/** Public, like the rest of the network dashboard: no @Authenticated. */
@Resolver(() => FeeConversionModel)
export class FeeConversionsResolver {
  /** One query per request for the invoices of every conversion it lists. */
  private readonly invoiceLoaders: PerRequest<BatchLoader<string, ConvertedFeeModel[]>>;

  constructor(private readonly reader: FeeConversionsReader) {
    this.invoiceLoaders = new PerRequest(() => new BatchLoader((ids) => this.reader.convertedFees(ids)));
  }

  @Query(() => [FeeConversionModel], {
    description: 'Executed fee conversions (the buyback: fees -> USDC -> BTRST for the DAO treasury), newest first; `first` between 1 and 100.',
  })
  async feeConversions(@Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number | null): Promise<FeeConversionModel[]> {
    const count = first ?? 20;
    if (!Number.isInteger(count) || count < 1 || count > 100) throw new BadUserInputError('first must be between 1 and 100', 'first');
    return this.reader.latest(count);
  }

  /** Lookup by key (`_entities`): executed conversions only. */
  @ResolveReference()
  async resolveReference(ref: { __typename: 'FeeConversion'; id: string }): Promise<FeeConversionModel | null> {
    return isUuid(ref.id) ? this.reader.byId(ref.id) : null;
  }

  @ResolveField(() => [ConvertedFeeModel], { description: 'The paid invoices whose fees this conversion converted, oldest payment first.' })
  invoices(@Parent() conversion: FeeConversionModel, @Context() context: RequestContext): Promise<ConvertedFeeModel[]> {
    return this.invoiceLoaders.for(context).load(conversion.id);
  }
}

import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar, Money } from '@talent/platform';

@ObjectType('ConvertedFee', { description: "One paid invoice's platform fee, converted by a FeeConversion (public: no parties named)." })
export class ConvertedFeeModel {
  @Field(() => ID)
  invoiceId: string;

  @Field(() => Money, { description: "The invoice's platform fee, in the invoice's currency." })
  fee: Money;

  @Field()
  paidAt: Date;
}

/**
 * One executed buyback of one currency's fees. Public (the network dashboard): anyone can check
 * sum(invoices.fee) = fees, fees x usdcRate = usdcAmount (half even to 6 decimals) and
 * usdcAmount / price = btrstBought (rounded down to 18 decimals). An entity, so that rewards
 * can add the treasury's credit to it.
 */
@ObjectType('FeeConversion')
@Directive('@key(fields: "id")')
export class FeeConversionModel {
  @Field(() => ID)
  id: string;

  @Field(() => Money, { description: "The converted invoices' platform fees, summed exactly, in their currency." })
  fees: Money;

  @Field(() => DecimalScalar, { description: 'USDC received for the fees (6 decimals).' })
  usdcAmount: string;

  @Field(() => DecimalScalar, { description: 'BTRST bought with usdcAmount: usdcAmount / price rounded down to 18 decimals; what the DAO treasury receives.' })
  btrstBought: string;

  @Field(() => DecimalScalar, { description: 'USDC per BTRST at execution.' })
  price: string;

  @Field()
  executedAt: Date;

  @Field(() => Int, { description: "How many paid invoices' fees this conversion converted (each fee is converted exactly once)." })
  invoiceCount: number;

  @Field(() => DecimalScalar, { description: "USDC per unit of the fees' currency at the FX fill: usdcAmount = fees x usdcRate, half even to 6 decimals." })
  usdcRate: string;

  @Field({ description: 'When the price feed observed `price`.' })
  priceAt: Date;
}

import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar, Money } from '@talent/platform';

/**
 * The public network dashboard. USD sums use each invoice's USD value fixed when it was paid
 * (payments' `usd_rates` at that moment); invoices paid in a currency without a USD rate count
 * in `paidInvoices` but not in the USD sums (`unpricedPaidInvoices` says how many).
 */
@ObjectType('NetworkStats')
export class NetworkStatsModel {
  @Field(() => Money, { description: 'Gross service value: everything clients paid (subtotals + fees), in USD.' })
  grossServiceValue: Money;

  @Field(() => Money, { description: 'Platform fees of paid invoices, in USD.' })
  feesCollected: Money;

  @Field(() => DecimalScalar, { description: 'BTRST bought with the fees by executed conversions (see feeConversions).' })
  btrstBoughtBack: string;

  @Field(() => Int, { description: 'Contracts in progress (ACTIVE).' })
  activeContracts: number;

  @Field(() => Money, {
    nullable: true,
    description: 'grossServiceValue / the number of contracts with a paid invoice valued in USD, half even to the cent, in USD; null when there is none.',
  })
  averageProjectSize: Money | null;

  @Field(() => Int)
  paidInvoices: number;

  @Field(() => Int, { description: 'Paid invoices in a currency without a USD rate: counted in paidInvoices, not in the USD sums.' })
  unpricedPaidInvoices: number;

  @Field(() => DecimalScalar, { description: 'USDC the converted fees were sold for, and spent on BTRST (6 decimals).' })
  usdcConverted: string;

  @Field(() => Int, { description: 'Executed fee conversions (their sum of btrstBought is btrstBoughtBack).' })
  feeConversionCount: number;
}

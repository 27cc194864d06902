import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';

/** A fee conversion, owned by payments; rewards adds what the treasury was credited for it. */
@ObjectType('FeeConversion')
@Directive('@key(fields: "id")')
export class FeeConversionRef {
  @Field(() => ID)
  id: string;
}

export const feeConversionRef = (id: string): FeeConversionRef => Object.assign(new FeeConversionRef(), { id });

@ObjectType('TreasuryCredit', { description: 'BTRST credited to the DAO treasury for a fee conversion (bought on the open market, not minted).' })
export class TreasuryCreditModel {
  @Field(() => ID, { description: "The treasury's ledger entry." })
  entryId: string;

  @Field(() => DecimalScalar, { description: 'Exactly the BTRST the conversion bought.' })
  amount: string;

  @Field()
  creditedAt: Date;
}

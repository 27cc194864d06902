import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar, PageInfo } from '@talent/platform';

export enum LedgerEntryKindEnum {
  GENESIS = 'GENESIS',
  REWARD = 'REWARD',
  STAKE_LOCK = 'STAKE_LOCK',
  STAKE_RELEASE = 'STAKE_RELEASE',
  STAKE_SLASH = 'STAKE_SLASH',
  TREASURY_BUYBACK = 'TREASURY_BUYBACK',
  GRANT = 'GRANT',
  WITHDRAWAL = 'WITHDRAWAL',
}
registerEnumType(LedgerEntryKindEnum, { name: 'LedgerEntryKind' });

@ObjectType('LedgerEntry')
export class LedgerEntryModel {
  @Field(() => ID)
  id: string;

  @Field(() => LedgerEntryKindEnum)
  kind: LedgerEntryKindEnum;

  @Field(() => DecimalScalar, { description: 'Signed: positive credits the wallet, negative debits it.' })
  amount: string;

  @Field({ description: "The reward policy or operation, e.g. 'connector.referral', 'rating.five_star'." })
  reason: string;

  @Field({ description: 'Id of the event or object that caused it (idempotency key).' })
  reference: string;

  @Field()
  createdAt: Date;
}

@ObjectType('LedgerEntryEdge')
export class LedgerEntryEdge {
  @Field()
  cursor: string;

  @Field(() => LedgerEntryModel)
  node: LedgerEntryModel;
}

@ObjectType('LedgerEntryConnection')
export class LedgerEntryConnection {
  @Field(() => [LedgerEntryEdge])
  edges: LedgerEntryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType('TokenWallet')
export class TokenWalletModel {
  /** Whose wallet (for `entries`). */
  userId: string;

  @Field(() => DecimalScalar, { description: 'Total held, locked included.' })
  balance: string;

  @Field(() => DecimalScalar)
  locked: string;

  @Field(() => DecimalScalar)
  available: string;
}

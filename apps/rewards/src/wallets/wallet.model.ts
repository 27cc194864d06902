import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar, PageInfo } from '@talent/platform';
import { GRANT_REFUSALS, type GrantRefusal } from '../grants/grant.entity';

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

export enum RewardGrantStatusEnum {
  PAID = 'PAID',
  REFUSED = 'REFUSED',
}
registerEnumType(RewardGrantStatusEnum, { name: 'RewardGrantStatus' });

export const RewardRefusalReasonEnum = Object.fromEntries(GRANT_REFUSALS.map((r) => [r, r])) as { [K in GrantRefusal]: K };
registerEnumType(RewardRefusalReasonEnum, {
  name: 'RewardRefusalReason',
  description: 'Why a reward was not paid. Refused grants are kept as refused: the same work never pays later.',
  valuesMap: {
    NOT_A_MEMBER: { description: 'The beneficiary was not a member (KYC approved) when the work was done.' },
    POOL_EXHAUSTED: { description: 'The community pool could not pay the whole amount (nothing is paid partially).' },
    NO_FX_RATE: { description: "The paid value's currency has no USD rate: no amount could be computed." },
    POLICY_INACTIVE: { description: 'Governance turned the policy off.' },
    INVALID_AMOUNT: { description: 'The amount came out as zero or beyond the ledger range.' },
    ALREADY_REWARDED: { description: 'The policy pays once per reference and this one was already decided (e.g. a talent screened before).' },
    OUTSIDE_EARNING_WINDOW: { description: "Paid after the referral's earning window closed." },
    GRANT_CAP: { description: "Larger than the policy's cap per grant (never trimmed: refused whole)." },
    DAILY_CAP: { description: "The beneficiary reached the policy's cap for that UTC day." },
    MONTHLY_CAP: { description: "The beneficiary reached the policy's cap for that UTC month." },
    SOURCE_CAP: { description: "The referral reached the policy's cap per referral." },
  },
});

@ObjectType('RewardGrant', { description: 'A reward decision on the wallet: paid, or refused with the reason.' })
export class RewardGrantModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The reward policy, e.g. connector.referral.' })
  policy: string;

  @Field({ description: 'What earned it: a talent (screening), a contract (5 stars), a paid invoice (referrals).' })
  reference: string;

  @Field(() => String, { nullable: true, description: 'What the earnings accrue to, e.g. the referral of a per-invoice grant.' })
  sourceId: string | null;

  @Field(() => RewardGrantStatusEnum)
  status: RewardGrantStatusEnum;

  @Field(() => DecimalScalar, { nullable: true, description: 'BTRST paid; null when refused.' })
  amount: string | null;

  @Field(() => RewardRefusalReasonEnum, { nullable: true, description: 'Set when refused.' })
  refusalReason: GrantRefusal | null;

  @Field({ description: 'When it was earned (caps count by this instant, UTC).' })
  earnedAt: Date;

  @Field()
  createdAt: Date;
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

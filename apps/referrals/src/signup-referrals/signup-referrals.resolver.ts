import { Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, type AuthUser } from '@talent/platform';
import type { ReferralInvalidReasonEnum, ReferralKindEnum, ReferralStatusEnum } from '../shared/enums';
import { userRef } from '../shared/user.reference';
import { ReferralModel } from './referral.model';
import type { SignupReferralRecord } from './signup-referral.entity';
import { SignupReferralsService } from './signup-referrals.service';

const toModel = (r: SignupReferralRecord): ReferralModel =>
  Object.assign(new ReferralModel(), {
    id: r.id,
    connector: userRef(r.connectorId),
    referredUser: userRef(r.referredUserId),
    kind: r.kind as ReferralKindEnum,
    status: r.status as ReferralStatusEnum,
    rewardAmount: r.rewardAmount,
    invalidReason: r.invalidReason as ReferralInvalidReasonEnum | null,
    createdAt: r.createdAt,
  });

@Resolver(() => ReferralModel)
export class SignupReferralsResolver {
  constructor(private readonly referrals: SignupReferralsService) {}

  @Query(() => [ReferralModel], {
    description: "Signups made with the caller's referral code (the caller is the connector), newest first, INVALID ones included.",
  })
  @Authenticated()
  async myReferrals(@CurrentUser() caller: AuthUser): Promise<ReferralModel[]> {
    return (await this.referrals.forConnector(caller.id)).map(toModel);
  }
}

import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { type AuthUser, CurrentUser, hasRole, isUuid } from '@talent/platform';
import { UserRef, userRef } from '../shared/user.reference';
import { CodesService } from './codes.service';

/** Referrals' part of `User`: the user's own referral code. */
@Resolver(() => UserRef)
export class CodesResolver {
  constructor(private readonly codes: CodesService) {}

  /** Lookup by key (`_entities`). A key only, nothing read: `referralCode` is for the user and admins. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'User'; id: string }): UserRef | null {
    return isUuid(ref.id) ? userRef(ref.id.toLowerCase()) : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: "The user's own referral code, given when KYC is approved (null before). Visible to the user and to admins only; null for others.",
  })
  async referralCode(@Parent() user: UserRef, @CurrentUser() caller: AuthUser | null): Promise<string | null> {
    if (caller?.id !== user.id && !hasRole(caller, 'ADMIN')) return null;
    return this.codes.codeOf(user.id);
  }
}

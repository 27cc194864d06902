import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Authenticated, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { ReviewDecisionEnum } from '../kyc/kyc.model';
import { UserModel } from '../users/user.model';
import { toUserModel } from '../users/users.service';
import { ScreenTalent } from './screen-talent';

@Resolver()
export class ScreeningResolver {
  constructor(private readonly screenTalentUseCase: ScreenTalent) {}

  @Mutation(() => UserModel, { description: 'INSPECTOR or ADMIN: records the peer screening of a talent.' })
  @Authenticated()
  async screenTalent(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('decision', { type: () => ReviewDecisionEnum }) decision: ReviewDecisionEnum,
    @Args('notes', { type: () => String, nullable: true }) notes: string | null,
  ): Promise<UserModel> {
    return toUserModel(await this.screenTalentUseCase.execute(ctx, { talentId: userId, decision, notes }));
  }
}

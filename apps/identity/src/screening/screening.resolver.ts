import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { type AuthUser, CurrentUser, isUuid, NotFoundError, RequestMeta, RequireRoles } from '@talent/platform';
import { ReviewDecisionEnum } from '../kyc/kyc.model';
import { UserModel } from '../users/user.model';
import { toUserModel } from '../users/users.service';
import { ScreeningService } from './screening.service';

@Resolver()
export class ScreeningResolver {
  constructor(private readonly screening: ScreeningService) {}

  @Mutation(() => UserModel, { description: 'INSPECTOR or ADMIN: records the peer screening of a talent.' })
  @RequireRoles('INSPECTOR', 'ADMIN')
  async screenTalent(
    @CurrentUser() caller: AuthUser,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('decision', { type: () => ReviewDecisionEnum }) decision: ReviewDecisionEnum,
    @Args('notes', { type: () => String, nullable: true }) notes: string | null,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<UserModel> {
    if (!isUuid(userId)) throw new NotFoundError('User');
    return toUserModel(await this.screening.screen(caller, userId, decision, notes, meta.traceparent));
  }
}

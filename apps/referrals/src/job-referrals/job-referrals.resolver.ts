import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { toJobReferralModel } from './job-referral.mapper';
import { JobReferralModel } from './job-referral.model';
import { JobReferralsService } from './job-referrals.service';
import { ReferTalentToJob } from './refer-talent-to-job';

@Resolver(() => JobReferralModel)
export class JobReferralsResolver {
  constructor(
    private readonly referTalent: ReferTalentToJob,
    private readonly referrals: JobReferralsService,
  ) {}

  @Mutation(() => JobReferralModel, {
    description:
      'A member refers a talent to an open job (note: at most 1000 characters). A referral that closes a referral ring is kept, INVALID with REFERRAL_RING.',
  })
  @Authenticated()
  async referTalentToJob(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('jobId', { type: () => ID }) jobId: string,
    @Args('talentId', { type: () => ID }) talentId: string,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
  ): Promise<JobReferralModel> {
    return toJobReferralModel(await this.referTalent.execute(ctx, { jobId, talentId, note }));
  }

  @Query(() => [JobReferralModel], { description: 'Job referrals the caller made (the caller is the connector), newest first.' })
  @Authenticated()
  async myJobReferrals(@CurrentUser() caller: AuthUser): Promise<JobReferralModel[]> {
    return (await this.referrals.forConnector(caller.id)).map(toJobReferralModel);
  }
}

import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, DecimalScalar, MoneyInput, RequireRoles, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { toJobModel } from '../jobs/job.mapper';
import { JobModel } from '../jobs/job.model';
import { JobsService } from '../jobs/jobs.service';
import { UserRef, userRef } from '../users/user.model';
import { toApplicationModel } from './application.mapper';
import { ApplicationModel, InterviewOutcomeEnum } from './application.model';
import { ApplicationsService } from './applications.service';
import { ApplyToJob } from './apply-to-job';
import { RecordInterview } from './record-interview';
import { WithdrawApplication } from './withdraw-application';

@Resolver(() => ApplicationModel)
export class ApplicationsResolver {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly jobs: JobsService,
    private readonly applyToJobUseCase: ApplyToJob,
    private readonly withdrawUseCase: WithdrawApplication,
    private readonly recordInterviewUseCase: RecordInterview,
  ) {}

  @Mutation(() => ApplicationModel, { description: 'Members with the TALENT role, once per job. Staking is not available yet.' })
  @RequireRoles('TALENT')
  async applyToJob(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('jobId', { type: () => ID }) jobId: string,
    @Args('coverLetter') coverLetter: string,
    @Args('proposedRate', { type: () => MoneyInput }) proposedRate: MoneyInput,
    @Args('stake', { type: () => DecimalScalar, nullable: true }) stake: string | null,
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.applyToJobUseCase.execute(ctx, { jobId, coverLetter, proposedRate, stake }));
  }

  @Mutation(() => ApplicationModel, { description: 'The applicant, while the application is open.' })
  @Authenticated()
  async withdrawApplication(@UseCaseCtx() ctx: UseCaseContext, @Args('applicationId', { type: () => ID }) applicationId: string): Promise<ApplicationModel> {
    return toApplicationModel(await this.withdrawUseCase.execute(ctx, { applicationId }));
  }

  @Mutation(() => ApplicationModel, { description: "The job's client. NO_SHOW declines the application." })
  @Authenticated()
  async recordInterview(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('applicationId', { type: () => ID }) applicationId: string,
    @Args('outcome', { type: () => InterviewOutcomeEnum }) outcome: InterviewOutcomeEnum,
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.recordInterviewUseCase.execute(ctx, { applicationId, outcome }));
  }

  @Query(() => [ApplicationModel], { description: "The caller's applications, newest first." })
  @Authenticated()
  async myApplications(@CurrentUser() caller: AuthUser): Promise<ApplicationModel[]> {
    return (await this.applications.forTalent(caller.id)).map(toApplicationModel);
  }

  @ResolveField(() => JobModel)
  async job(@Parent() application: ApplicationModel): Promise<JobModel> {
    return toJobModel(await this.jobs.getById(application.jobId));
  }

  @ResolveField(() => UserRef)
  talent(@Parent() application: ApplicationModel): UserRef {
    return userRef(application.talentId);
  }
}

import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, DecimalScalar, MoneyInput, RequestMeta, RequireRoles, type AuthUser } from '@talent/platform';
import { toJobModel } from '../jobs/job.mapper';
import { JobModel } from '../jobs/job.model';
import { JobsService } from '../jobs/jobs.service';
import { UserRef, userRef } from '../users/user.model';
import { toApplicationModel } from './application.mapper';
import { ApplicationModel, InterviewOutcomeEnum } from './application.model';
import { ApplicationsService } from './applications.service';

@Resolver(() => ApplicationModel)
export class ApplicationsResolver {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly jobs: JobsService,
  ) {}

  @Mutation(() => ApplicationModel, { description: 'Members with the TALENT role, once per job. Staking is not available yet.' })
  @RequireRoles('TALENT')
  async applyToJob(
    @CurrentUser() caller: AuthUser,
    @Args('jobId', { type: () => ID }) jobId: string,
    @Args('coverLetter') coverLetter: string,
    @Args('proposedRate', { type: () => MoneyInput }) proposedRate: MoneyInput,
    @Args('stake', { type: () => DecimalScalar, nullable: true }) stake: string | null,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.applications.apply(caller, { jobId, coverLetter, proposedRate, stake }, meta.traceparent));
  }

  @Mutation(() => ApplicationModel, { description: 'The applicant, while the application is open.' })
  @Authenticated()
  async withdrawApplication(
    @CurrentUser() caller: AuthUser,
    @Args('applicationId', { type: () => ID }) applicationId: string,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.applications.withdraw(caller, applicationId, meta.traceparent));
  }

  @Mutation(() => ApplicationModel, { description: "The job's client. NO_SHOW declines the application." })
  @Authenticated()
  async recordInterview(
    @CurrentUser() caller: AuthUser,
    @Args('applicationId', { type: () => ID }) applicationId: string,
    @Args('outcome', { type: () => InterviewOutcomeEnum }) outcome: InterviewOutcomeEnum,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.applications.recordInterview(caller, applicationId, outcome, meta.traceparent));
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

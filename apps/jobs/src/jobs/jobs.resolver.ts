import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import {
  Authenticated,
  BatchLoader,
  CurrentUser,
  pageSize,
  PerRequest,
  RequireRoles,
  UseCaseCtx,
  type AuthUser,
  type RequestContext,
  type UseCaseContext,
} from '@talent/platform';
import { toApplicationModel } from '../applications/application.mapper';
import { ApplicationModel } from '../applications/application.model';
import { ApplicationsService } from '../applications/applications.service';
import { UserRef, userRef } from '../users/user.model';
import { CloseJob } from './close-job';
import type { JobRecord } from './job.entity';
import { toJobModel } from './job.mapper';
import { JobConnection, JobFilter, JobModel, PostJobInput } from './job.model';
import { JobsService } from './jobs.service';
import { OrganizationRef, organizationRef } from './organization.model';
import { PostJob } from './post-job';

@Resolver(() => JobModel)
export class JobsResolver {
  // Per request: the jobs one `_entities` call names (matches, referrals, contracts) are read in one query.
  private readonly byId: PerRequest<BatchLoader<string, JobRecord | null>>;

  constructor(
    private readonly jobService: JobsService,
    private readonly applicationService: ApplicationsService,
    private readonly postJobUseCase: PostJob,
    private readonly closeJobUseCase: CloseJob,
  ) {
    this.byId = new PerRequest(() => BatchLoader.orNull((ids) => this.jobService.findByIds(ids)));
  }

  @Query(() => JobModel, { nullable: true, description: 'Public; null for an unknown id.' })
  async job(@Args('id', { type: () => ID }) id: string): Promise<JobModel | null> {
    const job = await this.jobService.findById(id);
    return job ? toJobModel(job) : null;
  }

  @Query(() => JobConnection, { description: 'Public. Newest first; filters combine (skills: jobs requiring all of them).' })
  async jobs(
    @Args('filter', { type: () => JobFilter, nullable: true }) filter: JobFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<JobConnection> {
    const page = await this.jobService.list(filter ?? {}, pageSize(first, 20), after);
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toJobModel(e.node) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
  }

  @Mutation(() => JobModel, {
    description:
      'Members with the CLIENT role. Under an organization (organizationId) only for its members: FORBIDDEN otherwise, NOT_FOUND for an organization still unknown after a few seconds (one just created is waited for). A refused post creates nothing.',
  })
  @RequireRoles('CLIENT')
  async postJob(@UseCaseCtx() ctx: UseCaseContext, @Args('input', { type: () => PostJobInput }) input: PostJobInput): Promise<JobModel> {
    return toJobModel(await this.postJobUseCase.execute(ctx, input));
  }

  @Mutation(() => JobModel, { description: "The job's client; its open applications are declined." })
  @Authenticated()
  async closeJob(@UseCaseCtx() ctx: UseCaseContext, @Args('id', { type: () => ID }) id: string): Promise<JobModel> {
    return toJobModel(await this.closeJobUseCase.execute(ctx, { jobId: id }));
  }

  /** Lookup by key (`_entities`). Public, like `job(id)`; `applications` checks the caller itself. */
  @ResolveReference()
  async resolveReference(ref: { __typename: 'Job'; id: string }, context: RequestContext): Promise<JobModel | null> {
    const job = await this.byId.for(context).load(ref.id.toLowerCase());
    return job ? toJobModel(job) : null;
  }

  @ResolveField(() => UserRef)
  client(@Parent() job: JobModel): UserRef {
    return userRef(job.clientId);
  }

  @ResolveField(() => OrganizationRef, { nullable: true })
  organization(@Parent() job: JobModel): OrganizationRef | null {
    return job.organizationId ? organizationRef(job.organizationId) : null;
  }

  /** Empty rather than an error: a list of jobs asking for it must still reach everyone else. */
  @ResolveField(() => [ApplicationModel], { description: "Visible to the job's client only; an empty list for anyone else (anonymous callers included)." })
  async applications(@Parent() job: JobModel, @CurrentUser() caller: AuthUser | null): Promise<ApplicationModel[]> {
    if (!caller || caller.id.toLowerCase() !== job.clientId.toLowerCase()) return [];
    return (await this.applicationService.forJob(job.id)).map(toApplicationModel);
  }
}

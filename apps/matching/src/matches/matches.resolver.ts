import { Args, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CurrentUser, pageSize, type AuthUser } from '@talent/platform';
import { JobReference, jobReference } from '../jobs/job.reference';
import { UserReference, userReference } from '../profiles/user.reference';
import type { MatchRecord } from './match.entity';
import { MatchModel } from './match.model';
import { MatchesService } from './matches.service';

const toModel = (m: MatchRecord): MatchModel =>
  Object.assign(new MatchModel(), {
    id: m.id,
    jobId: m.jobId,
    talentId: m.talentId,
    score: m.score,
    rank: m.rank,
    reasons: m.reasons,
    createdAt: m.createdAt,
  });

@Resolver(() => MatchModel)
export class MatchesResolver {
  @ResolveField(() => JobReference)
  job(@Parent() match: MatchModel): JobReference {
    return jobReference(match.jobId);
  }

  @ResolveField(() => UserReference)
  talent(@Parent() match: MatchModel): UserReference {
    return userReference(match.talentId);
  }
}

/** Extends jobs' Job with its matches. */
@Resolver(() => JobReference)
export class JobMatchesResolver {
  constructor(private readonly service: MatchesService) {}

  /** Lookup by key (`_entities`). A key only, nothing read: `matches` checks the caller itself (the job's client and admins). */
  @ResolveReference()
  resolveReference(ref: { __typename: 'Job'; id: string }): JobReference {
    return jobReference(ref.id);
  }

  @ResolveField(() => [MatchModel], {
    description: "The job's best candidates by rank. Visible to the job's client and to admins; an empty list for anyone else (anonymous callers included).",
  })
  async matches(
    @Parent() job: JobReference,
    @CurrentUser() caller: AuthUser | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number | null,
  ): Promise<MatchModel[]> {
    const n = pageSize(first, 10, 100);
    return (await this.service.visibleMatches(caller, job.id, n)).map(toModel);
  }
}

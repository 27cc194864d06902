import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { type AuthUser, CurrentUser, isUuid } from '@talent/platform';
import { JobRef, jobRef } from '../shared/job.reference';
import { toJobReferralModel } from './job-referral.mapper';
import { JobReferralModel } from './job-referral.model';
import { visibleJobReferrals } from './job-referral-visibility';
import { JobReferralsService } from './job-referrals.service';

/** Referrals' part of `Job`: the talent referred to it. */
@Resolver(() => JobRef)
export class JobsResolver {
  constructor(private readonly jobReferrals: JobReferralsService) {}

  /** Lookup by key (`_entities`). A key only, nothing read: `referrals` shows each caller only what they may see. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'Job'; id: string }): JobRef | null {
    return isUuid(ref.id) ? jobRef(ref.id.toLowerCase()) : null;
  }

  @ResolveField(() => [JobReferralModel], {
    description:
      "Talent referred to this job, newest first. The job's client and admins see all; other signed-in users only the referrals they made or that name them; anonymous callers none.",
  })
  async referrals(@Parent() job: JobRef, @CurrentUser() caller: AuthUser | null): Promise<JobReferralModel[]> {
    if (!caller) return [];
    const { clientId, referrals } = await this.jobReferrals.forJob(job.id);
    return visibleJobReferrals(caller, clientId, referrals).map(toJobReferralModel);
  }
}

import { CodesResolver } from './codes/codes.resolver';
import { JobReferralsResolver } from './job-referrals/job-referrals.resolver';
import { JobsResolver } from './job-referrals/jobs.resolver';
import { SignupReferralsResolver } from './signup-referrals/signup-referrals.resolver';

/** Every resolver of the referrals subgraph (also used to print its SDL for composition). */
export const REFERRALS_RESOLVERS = [CodesResolver, SignupReferralsResolver, JobReferralsResolver, JobsResolver];

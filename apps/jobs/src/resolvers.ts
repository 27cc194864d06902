import { ApplicationsResolver } from './applications/applications.resolver';
import { ContractsResolver } from './contracts/contracts.resolver';
import { JobsResolver } from './jobs/jobs.resolver';
import { RatingsResolver } from './ratings/ratings.resolver';
import { UsersResolver } from './users/users.resolver';

/** Every resolver of the jobs subgraph (also used to print its SDL for composition). */
export const JOBS_RESOLVERS = [JobsResolver, ApplicationsResolver, ContractsResolver, RatingsResolver, UsersResolver];

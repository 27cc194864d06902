import { Module, type DynamicModule } from '@nestjs/common';
import { membershipProviders, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import { ApplicationRecord, InterviewRecord } from './applications/application.entity';
import { ApplicationsService } from './applications/applications.service';
import { ApplyToJob } from './applications/apply-to-job';
import { ConfirmStake } from './applications/confirm-stake';
import { RecordInterview } from './applications/record-interview';
import { RejectStake } from './applications/reject-stake';
import { WithdrawApplication } from './applications/withdraw-application';
import type { JobsConfig } from './config';
import { ContractRecord } from './contracts/contract.entity';
import { CompleteContract } from './contracts/complete-contract';
import { ContractsService } from './contracts/contracts.service';
import { HireApplicant } from './contracts/hire-applicant';
import { JobRecord } from './jobs/job.entity';
import { CloseJob } from './jobs/close-job';
import { JobsService } from './jobs/jobs.service';
import { PostJob } from './jobs/post-job';
import { JobsMemberRecord } from './members/member.entity';
import { StakeOutcomeHandler } from './applications/stake-outcome.handler';
import { JobsSchema1732700000000 } from './migrations/1732700000000-jobs-schema';
import { JobRateTolerance1735100000000 } from './migrations/1735100000000-job-rate-tolerance';
import { Organizations1735500000000 } from './migrations/1735500000000-organizations';
import { CurrencyMinorUnits1736100000000 } from './migrations/1736100000000-currency-minor-units';
import { MembersOneShape1737100000000 } from './migrations/1737100000000-members-one-shape';
import { OrganizationMemberRecord, OrganizationRecord } from './organizations/organization.entity';
import { OrganizationsHandler } from './organizations/organizations.handler';
import { OrganizationsService } from './organizations/organizations.service';
import { RecordOrganization } from './organizations/record-organization';
import { RatingRecord } from './ratings/rating.entity';
import { RateContract } from './ratings/rate-contract';
import { RatingsService } from './ratings/ratings.service';
import { JOBS_RESOLVERS } from './resolvers';
import { ReputationService } from './users/reputation.service';

export const JOBS_ENTITIES = [
  JobsMemberRecord,
  JobRecord,
  ApplicationRecord,
  InterviewRecord,
  ContractRecord,
  RatingRecord,
  OrganizationRecord,
  OrganizationMemberRecord,
];
export const JOBS_MIGRATIONS = [
  JobsSchema1732700000000,
  JobRateTolerance1735100000000,
  Organizations1735500000000,
  CurrencyMinorUnits1736100000000,
  MembersOneShape1737100000000,
];

/** Services of the jobs subgraph (use cases, readers, projections, event handlers). */
export const JOBS_PROVIDERS = [
  ...membershipProviders({ extraColumns: (approval) => ({ country: approval.country }) }),
  OrganizationsService,
  RecordOrganization,
  OrganizationsHandler,
  JobsService,
  PostJob,
  CloseJob,
  ApplicationsService,
  ApplyToJob,
  WithdrawApplication,
  RecordInterview,
  ConfirmStake,
  RejectStake,
  StakeOutcomeHandler,
  ContractsService,
  HireApplicant,
  CompleteContract,
  RatingsService,
  RateContract,
  ReputationService,
];

@Module({})
export class JobsModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        // Tokens are verified with identity's JWKS (JWKS_URL).
        PlatformModule.forService({ config, entities: JOBS_ENTITIES, migrations: JOBS_MIGRATIONS }),
        subgraphGraphQLModule(),
      ],
      providers: [...JOBS_PROVIDERS, ...JOBS_RESOLVERS],
    };
  }
}

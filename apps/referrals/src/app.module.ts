import { Module, type DynamicModule } from '@nestjs/common';
import { MemberRecord, membershipProviders, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import { CodesHandler } from './codes/codes.handler';
import { CodesService } from './codes/codes.service';
import { IssueReferralCode } from './codes/issue-referral-code';
import { ReferralCodeRecord } from './codes/referral-code.entity';
import type { ReferralsConfig } from './config';
import { FraudCheck } from './fraud/fraud-check';
import { ReferralInvalidator } from './fraud/referral-invalidator';
import { JobReferralRecord } from './job-referrals/job-referral.entity';
import { JobReferralsService } from './job-referrals/job-referrals.service';
import { ReferTalentToJob } from './job-referrals/refer-talent-to-job';
import { ReferralsSchema1732900000000 } from './migrations/1732900000000-referrals-schema';
import { ReferredAfterApplication1735100000000 } from './migrations/1735100000000-referred-after-application';
import { ReferralRewards1735200000000 } from './migrations/1735200000000-referral-rewards';
import { MembersOneShape1737100000000 } from './migrations/1737100000000-members-one-shape';
import { KnownApplicationRecord } from './projections/known-application.entity';
import { KnownJobRecord } from './projections/known-job.entity';
import { KnownUserRecord } from './projections/known-user.entity';
import { ProjectionsHandler } from './projections/projections.handler';
import { ProjectionsService } from './projections/projections.service';
import { QualificationHandler } from './qualification/qualification.handler';
import { QualificationRecord } from './qualification/qualification.entity';
import { QualifyContract } from './qualification/qualify-contract';
import { RecordReward } from './qualification/record-reward';
import { SettledContractRecord } from './qualification/settled-contract.entity';
import { REFERRALS_RESOLVERS } from './resolvers';
import { AttributeSignup } from './signup-referrals/attribute-signup';
import { SignupReferralRecord } from './signup-referrals/signup-referral.entity';
import { SignupReferralsHandler } from './signup-referrals/signup-referrals.handler';
import { SignupReferralsService } from './signup-referrals/signup-referrals.service';

export const REFERRALS_ENTITIES = [
  KnownUserRecord,
  MemberRecord,
  KnownJobRecord,
  KnownApplicationRecord,
  ReferralCodeRecord,
  SignupReferralRecord,
  JobReferralRecord,
  SettledContractRecord,
  QualificationRecord,
];
export const REFERRALS_MIGRATIONS = [
  ReferralsSchema1732900000000,
  ReferredAfterApplication1735100000000,
  ReferralRewards1735200000000,
  MembersOneShape1737100000000,
];

/** Services and event handlers of the referrals service. */
export const REFERRALS_PROVIDERS = [
  ...membershipProviders(),
  ProjectionsService,
  ProjectionsHandler,
  CodesService,
  IssueReferralCode,
  CodesHandler,
  FraudCheck,
  ReferralInvalidator,
  AttributeSignup,
  SignupReferralsService,
  SignupReferralsHandler,
  ReferTalentToJob,
  JobReferralsService,
  QualifyContract,
  RecordReward,
  QualificationHandler,
];

@Module({})
export class ReferralsModule {
  static register(config: ReferralsConfig): DynamicModule {
    return {
      module: ReferralsModule,
      imports: [PlatformModule.forService({ config, entities: REFERRALS_ENTITIES, migrations: REFERRALS_MIGRATIONS }), subgraphGraphQLModule()],
      providers: [...REFERRALS_PROVIDERS, ...REFERRALS_RESOLVERS],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { governedParameterProviders, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import type { MatchingConfig } from './config';
import { EligibilityHandler } from './eligibility/eligibility.handler';
import { EligibilityService } from './eligibility/eligibility.service';
import { RecordTalentMembership } from './eligibility/record-talent-membership';
import { RecordTalentScreening } from './eligibility/record-talent-screening';
import { JobRecord } from './jobs/job.entity';
import { JobsHandler } from './jobs/jobs.handler';
import { RecordJobClosed } from './jobs/record-job-closed';
import { RecordPostedJob } from './jobs/record-posted-job';
import { MatchRecord } from './matches/match.entity';
import { MatchesService } from './matches/matches.service';
import { MatchingSettings } from './matching-settings';
import { MatchingSchema1732800000000 } from './migrations/1732800000000-matching-schema';
import { CurrencyMinorUnits1736100000000 } from './migrations/1736100000000-currency-minor-units';
import { GovernedWeights1736300000000 } from './migrations/1736300000000-governed-weights';
import { SkillLookupKeys1737000000000 } from './migrations/1737000000000-skill-lookup-keys';
import { ReputationLevelKeys1737100000000 } from './migrations/1737100000000-reputation-level-keys';
import { GovernedParameters1737200000000 } from './migrations/1737200000000-governed-parameters';
import { ProfilesService } from './profiles/profiles.service';
import { TalentProfileRecord } from './profiles/talent-profile.entity';
import { UpsertTalentProfile } from './profiles/upsert-talent-profile';
import { rankingWeightParameters } from './ranking/weight-parameters';
import { RankingEngine } from './ranking/ranking.engine';
import { SkillStatistics } from './ranking/skill-statistics';
import { RecordTalentReputation } from './reputation/record-talent-reputation';
import { ReputationHandler } from './reputation/reputation.handler';
import { MATCHING_RESOLVERS } from './resolvers';
import { StatsService } from './stats/stats.service';

export const MATCHING_ENTITIES = [TalentProfileRecord, JobRecord, MatchRecord];
export const MATCHING_MIGRATIONS = [
  MatchingSchema1732800000000,
  CurrencyMinorUnits1736100000000,
  GovernedWeights1736300000000,
  SkillLookupKeys1737000000000,
  ReputationLevelKeys1737100000000,
  GovernedParameters1737200000000,
];

/** Services, use cases and event handlers of the matching subgraph. */
export const MATCHING_PROVIDERS = [
  SkillStatistics,
  RankingEngine,
  MatchesService,
  EligibilityService,
  ProfilesService,
  StatsService,
  UpsertTalentProfile,
  RecordTalentMembership,
  RecordTalentScreening,
  RecordTalentReputation,
  RecordPostedJob,
  RecordJobClosed,
  EligibilityHandler,
  ReputationHandler,
  JobsHandler,
  ...governedParameterProviders(rankingWeightParameters),
];

@Module({})
export class MatchingModule {
  static register(config: MatchingConfig): DynamicModule {
    const settings: MatchingSettings = { matchesPerJob: config.MATCHES_PER_JOB };
    return {
      module: MatchingModule,
      imports: [PlatformModule.forService({ config, entities: MATCHING_ENTITIES, migrations: MATCHING_MIGRATIONS }), subgraphGraphQLModule()],
      providers: [{ provide: MatchingSettings, useValue: settings }, ...MATCHING_PROVIDERS, ...MATCHING_RESOLVERS],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { MemberRecord, membershipProviders, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import { BalanceCheckpointRecord } from './checkpoints/balance-checkpoint.entity';
import { CheckpointsHandler } from './checkpoints/checkpoints.handler';
import { CheckpointsService } from './checkpoints/checkpoints.service';
import { RecordBalanceCheckpoint } from './checkpoints/record-balance-checkpoint';
import type { GovernanceConfig } from './config';
import { DelegationRecord } from './delegation/delegation.entity';
import { DelegateVotes } from './delegation/delegate-votes';
import { DelegationService } from './delegation/delegation.service';
import { DISPUTE_PROVIDERS } from './disputes/disputes.providers';
import { VotingPowerService } from './delegation/voting-power.service';
import { GovernanceSchema1734000000000 } from './migrations/1734000000000-governance-schema';
import { GovernanceParameters1736300000000 } from './migrations/1736300000000-governance-parameters';
import { Disputes1736500000000 } from './migrations/1736500000000-disputes';
import { MembersOneShape1737100000000 } from './migrations/1737100000000-members-one-shape';
import { GovernanceParameters } from './parameters/governance-parameters';
import { Proposals1736400000000 } from './migrations/1736400000000-proposals';
import { PROPOSAL_ENTITIES, PROPOSAL_PROVIDERS } from './proposals/proposals.providers';
import { GOVERNANCE_JOBS } from './jobs';
import { GOVERNANCE_RESOLVERS } from './resolvers';
import { GovernanceClock } from './shared/clock';

export const GOVERNANCE_ENTITIES = [MemberRecord, BalanceCheckpointRecord, DelegationRecord, ...PROPOSAL_ENTITIES];
export const GOVERNANCE_MIGRATIONS = [
  GovernanceSchema1734000000000,
  GovernanceParameters1736300000000,
  Proposals1736400000000,
  Disputes1736500000000,
  MembersOneShape1737100000000,
];

/** Services and event handlers of the governance service. */
export const GOVERNANCE_PROVIDERS = [
  GovernanceClock,
  ...membershipProviders(),
  CheckpointsService,
  RecordBalanceCheckpoint,
  CheckpointsHandler,
  DelegationService,
  DelegateVotes,
  VotingPowerService,
  GovernanceParameters,
  ...PROPOSAL_PROVIDERS,
  ...DISPUTE_PROVIDERS,
];

@Module({})
export class GovernanceModule {
  static register(config: GovernanceConfig): DynamicModule {
    return {
      module: GovernanceModule,
      imports: [
        PlatformModule.forService({ config, entities: GOVERNANCE_ENTITIES, migrations: GOVERNANCE_MIGRATIONS, jobs: GOVERNANCE_JOBS }),
        subgraphGraphQLModule(),
      ],
      providers: [...GOVERNANCE_PROVIDERS, ...GOVERNANCE_RESOLVERS],
    };
  }
}

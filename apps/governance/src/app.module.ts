import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import { BalanceCheckpointRecord } from './checkpoints/balance-checkpoint.entity';
import { CheckpointsHandler } from './checkpoints/checkpoints.handler';
import { CheckpointsService } from './checkpoints/checkpoints.service';
import type { GovernanceConfig } from './config';
import { DelegationRecord } from './delegation/delegation.entity';
import { DelegationService } from './delegation/delegation.service';
import { VotingPowerService } from './delegation/voting-power.service';
import { MemberRecord } from './members/member.entity';
import { MembersHandler } from './members/members.handler';
import { MembersService } from './members/members.service';
import { GovernanceSchema1734000000000 } from './migrations/1734000000000-governance-schema';
import { GOVERNANCE_RESOLVERS } from './resolvers';

export const GOVERNANCE_ENTITIES = [MemberRecord, BalanceCheckpointRecord, DelegationRecord];
export const GOVERNANCE_MIGRATIONS = [GovernanceSchema1734000000000];

/** Services and event handlers of the governance service. */
export const GOVERNANCE_PROVIDERS = [MembersService, MembersHandler, CheckpointsService, CheckpointsHandler, DelegationService, VotingPowerService];

@Module({})
export class GovernanceModule {
  static register(config: GovernanceConfig): DynamicModule {
    return {
      module: GovernanceModule,
      imports: [
        PlatformModule.forService({ config, entities: GOVERNANCE_ENTITIES, migrations: GOVERNANCE_MIGRATIONS }),
        subgraphGraphQLModule(),
      ],
      providers: [...GOVERNANCE_PROVIDERS, ...GOVERNANCE_RESOLVERS],
    };
  }
}

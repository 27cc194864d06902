import { Module, type DynamicModule } from '@nestjs/common';
import { governedParameterProviders, MemberRecord, MembershipProjection, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import type { RewardsConfig } from './config';
import { ContractEarnings } from './earnings/contract-earnings';
import { RecordPaidInvoice } from './earnings/record-paid-invoice';
import { RecordQualifiedReferral } from './earnings/record-qualified-referral';
import { RecordRating } from './earnings/record-rating';
import { GenesisService } from './genesis/genesis.service';
import { RewardGrantRecord } from './grants/grant.entity';
import { EarnJuryRewards } from './grants/earn-jury-rewards';
import { EarnScreeningReward } from './grants/earn-screening-reward';
import { GrantsService } from './grants/grants.service';
import { DisputeResolvedHandler } from './grants/dispute-resolved.handler';
import { RewardEventsHandler } from './grants/reward-events.handler';
import { REWARDS_JOBS } from './jobs';
import { Ledger } from './ledger/ledger';
import { LedgerAccountRecord, LedgerPostingRecord, LedgerTransactionRecord } from './ledger/ledger.entity';
import { AdmitMember } from './members/admit-member';
import { RewardsMembershipHandler } from './members/membership.handler';
import { RewardsSchema1732900000000 } from './migrations/1732900000000-rewards-schema';
import { AwaitingMembershipGrants1733000000000 } from './migrations/1733000000000-awaiting-membership-grants';
import { RewardsOnPaidValue1735200000000 } from './migrations/1735200000000-rewards-on-paid-value';
import { WithdrawalIdempotency1735600000000 } from './migrations/1735600000000-withdrawal-idempotency';
import { TreasuryBuyback1736000000000 } from './migrations/1736000000000-treasury-buyback';
import { TreasuryGrants1736400000000 } from './migrations/1736400000000-treasury-grants';
import { GovernedPolicies1736300000000 } from './migrations/1736300000000-governed-policies';
import { JuryReward1736500000000 } from './migrations/1736500000000-jury-reward';
import { MembersOneShape1737100000000 } from './migrations/1737100000000-members-one-shape';
import { GovernedParameters1737100000001 } from './migrations/1737100000001-governed-parameters';
import { PoliciesService } from './policies/policies.service';
import { rewardPolicyParameters } from './policies/policy-parameters';
import { RewardPolicyRecord } from './policies/policy.entity';
import { REWARDS_ORPHANED_TYPES, REWARDS_RESOLVERS } from './resolvers';
import { ApplicationEventsHandler } from './staking/application-events.handler';
import { StakeRecord } from './staking/stake.entity';
import { LockApplicationStake } from './staking/lock-application-stake';
import { SettleApplicationStake } from './staking/settle-application-stake';
import { SupplyService } from './supply/supply.service';
import { CreditFeeBuyback } from './treasury/credit-fee-buyback';
import { FeeConversionEventsHandler } from './treasury/fee-conversion-events.handler';
import { GrantApprovedHandler } from './treasury/grant-approved.handler';
import { PayAwaitingTreasuryGrants } from './treasury/pay-awaiting-treasury-grants';
import { PayTreasuryGrant } from './treasury/pay-treasury-grant';
import { TreasuryGrantsService } from './treasury/treasury-grants.service';
import { TreasuryService } from './treasury/treasury.service';
import { BalanceEvents } from './wallets/balance-events';
import { WalletsService } from './wallets/wallets.service';
import { ChainAdapter, LocalChainAdapter } from './withdrawals/chain-adapter';
import { WithdrawalRecord } from './withdrawals/withdrawal.entity';
import { WithdrawalProcessor } from './withdrawals/withdrawal.processor';
import { RecheckWithdrawal } from './withdrawals/recheck-withdrawal';
import { RequestWithdrawal } from './withdrawals/request-withdrawal';
import { SettleWithdrawal } from './withdrawals/settle-withdrawal';
import { SubmitWithdrawal } from './withdrawals/submit-withdrawal';
import { WithdrawalQueue } from './withdrawals/withdrawal-queue';
import { WithdrawalsReader } from './withdrawals/withdrawals.reader';

export const REWARDS_ENTITIES = [
  LedgerAccountRecord,
  LedgerTransactionRecord,
  LedgerPostingRecord,
  MemberRecord,
  RewardPolicyRecord,
  RewardGrantRecord,
  StakeRecord,
  WithdrawalRecord,
];
export const REWARDS_MIGRATIONS = [
  RewardsSchema1732900000000,
  AwaitingMembershipGrants1733000000000,
  RewardsOnPaidValue1735200000000,
  WithdrawalIdempotency1735600000000,
  TreasuryBuyback1736000000000,
  TreasuryGrants1736400000000,
  GovernedPolicies1736300000000,
  JuryReward1736500000000,
  MembersOneShape1737100000000,
  GovernedParameters1737100000001,
];

/** Use cases, projections, event and job handlers of the rewards service. */
export const REWARDS_PROVIDERS = [
  Ledger,
  BalanceEvents,
  GenesisService,
  MembershipProjection,
  AdmitMember,
  RewardsMembershipHandler,
  PoliciesService,
  ...governedParameterProviders(rewardPolicyParameters),
  GrantsService,
  ContractEarnings,
  EarnScreeningReward,
  EarnJuryRewards,
  RecordRating,
  RecordQualifiedReferral,
  RecordPaidInvoice,
  RewardEventsHandler,
  DisputeResolvedHandler,
  LockApplicationStake,
  SettleApplicationStake,
  ApplicationEventsHandler,
  WalletsService,
  SupplyService,
  TreasuryService,
  CreditFeeBuyback,
  FeeConversionEventsHandler,
  TreasuryGrantsService,
  PayTreasuryGrant,
  PayAwaitingTreasuryGrants,
  GrantApprovedHandler,
  WithdrawalQueue,
  RequestWithdrawal,
  SettleWithdrawal,
  SubmitWithdrawal,
  RecheckWithdrawal,
  WithdrawalsReader,
  WithdrawalProcessor,
];

@Module({})
export class RewardsModule {
  static register(config: RewardsConfig): DynamicModule {
    return {
      module: RewardsModule,
      imports: [
        // Tokens are verified with identity's JWKS (JWKS_URL).
        PlatformModule.forService({ config, entities: REWARDS_ENTITIES, migrations: REWARDS_MIGRATIONS, jobs: REWARDS_JOBS }),
        subgraphGraphQLModule({ orphanedTypes: REWARDS_ORPHANED_TYPES }),
      ],
      providers: [{ provide: ChainAdapter, useClass: LocalChainAdapter }, ...REWARDS_PROVIDERS, ...REWARDS_RESOLVERS],
    };
  }
}

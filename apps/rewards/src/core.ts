import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { EventPublisher, MembershipProjection } from '@talent/platform';
import { ContractEarnings } from './earnings/contract-earnings';
import { GenesisService } from './genesis/genesis.service';
import { GrantsService } from './grants/grants.service';
import { Ledger } from './ledger/ledger';
import { PoliciesService } from './policies/policies.service';
import { LockApplicationStake } from './staking/lock-application-stake';
import { SettleApplicationStake } from './staking/settle-application-stake';
import { SupplyService } from './supply/supply.service';
import { TreasuryGrantsService } from './treasury/treasury-grants.service';
import { CreditFeeBuyback } from './treasury/credit-fee-buyback';
import { TreasuryService } from './treasury/treasury.service';
import { BalanceEvents } from './wallets/balance-events';
import { WalletsService } from './wallets/wallets.service';
import { ChainAdapter, LocalChainAdapter } from './withdrawals/chain-adapter';
import { WithdrawalProcessor } from './withdrawals/withdrawal.processor';

/**
 * The rewards use cases wired by hand on a data source, without Nest: the same classes the
 * service runs, for the ledger benchmark and operational scripts (tests build the module: test/harness.ts).
 */
export function createRewardsCore(dataSource: DataSource, logger: Logger, options: { chain?: ChainAdapter } = {}) {
  const events = new EventPublisher();
  const ledger = new Ledger();
  // No wait for the projection here: whoever drives the core adds members before they act.
  const members = new MembershipProjection(dataSource, { PROJECTION_WAIT_MS: 0 });
  const policies = new PoliciesService(dataSource);
  const balances = new BalanceEvents(events);
  const chain = options.chain ?? new LocalChainAdapter(dataSource);
  const grants = new GrantsService(ledger, policies, events, logger);
  return {
    events,
    ledger,
    members,
    policies,
    balances,
    genesis: new GenesisService(dataSource, ledger, logger),
    grants,
    earnings: new ContractEarnings(grants),
    lockStake: new LockApplicationStake(dataSource, ledger, members, balances, events, logger),
    settleStake: new SettleApplicationStake(dataSource, ledger, balances, events),
    supply: new SupplyService(dataSource, ledger),
    treasury: new TreasuryService(dataSource),
    creditFeeBuyback: new CreditFeeBuyback(dataSource, ledger, balances, events, logger),
    treasuryGrants: new TreasuryGrantsService(ledger, members, balances, events, logger),
    wallets: new WalletsService(dataSource, ledger),
    withdrawalProcessor: new WithdrawalProcessor(dataSource, ledger, chain, balances, events, logger),
  };
}

export type RewardsCore = ReturnType<typeof createRewardsCore>;

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createEvent, KycApproved, type EventEnvelope } from '@talent/events';
import * as platform from '@talent/platform';
import { EventConsumer, inTransaction } from '@talent/platform';
import { openServiceModule, type AddedJob, type TestDatabase } from '@talent/testing';
import { RewardsModule } from '../src/app.module';
import { RewardsConfigSchema } from '../src/config';
import { GenesisService } from '../src/genesis/genesis.service';
import { GrantsService } from '../src/grants/grants.service';
import { SystemAccounts, walletAccounts } from '../src/ledger/accounts';
import { fromUnits, toUnits } from '@talent/platform';
import { Ledger } from '../src/ledger/ledger';
import { PoliciesService } from '../src/policies/policies.service';
import { RewardsMembershipHandler } from '../src/members/membership.handler';
import { SupplyService } from '../src/supply/supply.service';
import { TreasuryService } from '../src/treasury/treasury.service';
import { WalletsService } from '../src/wallets/wallets.service';
import { ChainAdapter } from '../src/withdrawals/chain-adapter';
import { ProcessWithdrawal } from '../src/withdrawals/withdrawal.jobs';
import { WithdrawalProcessor } from '../src/withdrawals/withdrawal.processor';
import { RecheckWithdrawal } from '../src/withdrawals/recheck-withdrawal';
import { RequestWithdrawal } from '../src/withdrawals/request-withdrawal';
import { SubmitWithdrawal } from '../src/withdrawals/submit-withdrawal';
import { WithdrawalsReader } from '../src/withdrawals/withdrawals.reader';

/** The use cases the tests call directly, as the service's module built them. */
export interface RewardsCore {
  genesis: GenesisService;
  grants: GrantsService;
  ledger: Ledger;
  /** identity's KycApproved, as the consumer applies it (for tests that hold its transaction open). */
  membership: RewardsMembershipHandler;
  policies: PoliciesService;
  supply: SupplyService;
  treasury: TreasuryService;
  wallets: WalletsService;
  /** The withdrawal jobs' use cases, and their processor (as BullMQ calls it). */
  submitWithdrawal: SubmitWithdrawal;
  recheckWithdrawal: RecheckWithdrawal;
  withdrawalProcessor: WithdrawalProcessor;
}

export interface RewardsHarness {
  db: TestDatabase;
  dataSource: DataSource;
  core: RewardsCore;
  /** The service's event consumer (inbox + every @OnEvent handler of rewards), driven in-process. */
  consumer: EventConsumer;
  /** Messages the consumer dead-lettered (tests expect none). */
  deadLetters: unknown[];
  requestWithdrawal: RequestWithdrawal;
  withdrawals: WithdrawalsReader;
  /** Jobs the service added; the queue is held, so tests run the processor themselves. */
  jobs: AddedJob[];
  /** Withdrawal ids queued for processing. */
  readonly queued: string[];
  /** This harness's name for a topic (a prefix of its own on the shared broker), as the consumer sees it. */
  topic(name: string): string;
  /** Delivers on the event's own topic, or on `topic` (a forged delivery). */
  deliver(envelope: EventEnvelope, topic?: string): Promise<void>;
  /** Envelopes of one topic as one fetched batch (applied together in one transaction when they allow it). */
  deliverBatch(envelopes: EventEnvelope[]): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The rewards service built from its production module on a fresh database (migrations run, genesis minted at start). */
export async function openRewards(
  label: string,
  options: { poolSize?: number; chain?: ChainAdapter; env?: Record<string, string> } = {},
): Promise<RewardsHarness> {
  const { chain } = options;
  const service = await openServiceModule({
    platform,
    service: 'rewards',
    label,
    configSchema: RewardsConfigSchema,
    module: (config) => RewardsModule.register(config),
    env: { DATABASE_POOL_SIZE: String(options.poolSize ?? 6), ...options.env },
    override: (builder) => (chain ? builder.overrideProvider(ChainAdapter).useValue(chain) : builder),
  });
  const get = <T>(type: new (...args: any[]) => T): T => service.app.get(type);
  return {
    db: service.db,
    dataSource: service.dataSource,
    core: {
      genesis: get(GenesisService),
      grants: get(GrantsService),
      ledger: get(Ledger),
      membership: get(RewardsMembershipHandler),
      policies: get(PoliciesService),
      supply: get(SupplyService),
      treasury: get(TreasuryService),
      wallets: get(WalletsService),
      submitWithdrawal: get(SubmitWithdrawal),
      recheckWithdrawal: get(RecheckWithdrawal),
      withdrawalProcessor: get(WithdrawalProcessor),
    },
    consumer: service.consumer,
    deadLetters: service.deadLetters,
    requestWithdrawal: get(RequestWithdrawal),
    withdrawals: get(WithdrawalsReader),
    jobs: service.jobs,
    get queued() {
      return service.jobs.filter((job) => job.name === ProcessWithdrawal.name).map((job) => job.data.withdrawalId as string);
    },
    topic: service.topic,
    deliver: service.deliver,
    deliverBatch: service.deliverBatch,
    sql: service.sql,
    close: service.close,
  };
}

/** A member (identity's KycApproved, consumed) with an open wallet. */
export async function addMember(h: RewardsHarness, userId: string = randomUUID()): Promise<string> {
  await h.deliver(
    createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: new Date().toISOString() }) as EventEnvelope,
  );
  return userId;
}

/** Credits a member's available balance from the crowdsale allocation (as if bought; test set-up that leaves the pool alone). */
export async function fund(h: RewardsHarness, userId: string, amount: string): Promise<void> {
  const units = toUnits(amount);
  await inTransaction(h.dataSource, (tx) =>
    h.core.ledger.post(tx, {
      kind: 'GRANT',
      reason: 'test.fund',
      reference: randomUUID(),
      idempotencyKey: `test.fund:${randomUUID()}`,
      postings: [
        { accountId: SystemAccounts.crowdsale.id, amount: -units },
        { accountId: walletAccounts(userId).available, amount: units },
      ],
    }),
  );
}

export async function walletOf(h: RewardsHarness, userId: string) {
  return h.core.wallets.balances(userId);
}

export async function balanceOf(h: RewardsHarness, accountId: string): Promise<string> {
  return fromUnits(await h.core.ledger.balanceOf(h.dataSource.manager, accountId));
}

/** Every ledger invariant, checked from the tables: balanced transactions, consistent running balances, nothing negative but genesis and market. */
export async function assertLedgerConsistent(h: RewardsHarness): Promise<void> {
  const unbalanced = await h.sql(`SELECT transaction_id FROM ledger_postings GROUP BY transaction_id HAVING sum(amount) <> 0 OR count(*) < 2`);
  expect(unbalanced).toEqual([]);
  const [{ total }] = await h.sql(`SELECT COALESCE(sum(amount), 0)::text AS total FROM ledger_postings`);
  expect(toUnits(total)).toBe(0n);
  const drift = await h.sql(`
    SELECT account_id FROM (
      SELECT account_id, account_seq, balance_after,
             sum(amount) OVER (PARTITION BY account_id ORDER BY account_seq) AS running,
             row_number() OVER (PARTITION BY account_id ORDER BY account_seq) AS n
        FROM ledger_postings) p
     WHERE running <> balance_after OR n <> account_seq`);
  expect(drift).toEqual([]);
  const negative = await h.sql(`
    SELECT p.account_id FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
     WHERE p.balance_after < 0 AND a.kind NOT IN ('GENESIS', 'MARKET')`);
  expect(negative).toEqual([]);
}

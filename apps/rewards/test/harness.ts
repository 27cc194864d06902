import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { DisputeResolved, FeesConverted, GrantApproved, InvoicePaid, ParameterChanged, KycApproved, RatingSubmitted, ReferralQualified, TalentScreened, ApplicationResolved, ApplicationSubmitted, InterviewRecorded, type EventEnvelope } from '@talent/events';
import { dataSourceOptions, EventConsumer, inTransaction, type JobQueue } from '@talent/platform';
import { createTestDatabase, deliverEnvelope, deliverEnvelopes, type TestDatabase } from '@talent/testing';
import { REWARDS_ENTITIES, REWARDS_MIGRATIONS } from '../src/app.module';
import { createRewardsCore, type RewardsCore } from '../src/core';
import { DisputeResolvedHandler } from '../src/grants/dispute-resolved.handler';
import { RewardEventsHandler } from '../src/grants/reward-events.handler';
import { SystemAccounts, walletAccounts } from '../src/ledger/accounts';
import { fromUnits, toUnits } from '../src/ledger/decimal';
import { MembershipHandler } from '../src/members/membership.handler';
import { PolicyParameterChangedHandler } from '../src/policies/parameter-changed.handler';
import { ApplicationEventsHandler } from '../src/staking/application-events.handler';
import { FeeConversionEventsHandler } from '../src/treasury/fee-conversion-events.handler';
import { GrantApprovedHandler } from '../src/treasury/grant-approved.handler';
import type { ChainAdapter } from '../src/withdrawals/chain-adapter';
import { WithdrawalsService } from '../src/withdrawals/withdrawals.service';

export const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface RewardsHarness {
  db: TestDatabase;
  dataSource: DataSource;
  core: RewardsCore;
  /** The service's event consumer (inbox + every @OnEvent handler of rewards), driven without a broker. */
  consumer: EventConsumer;
  /** Messages the consumer dead-lettered (tests expect none). */
  deadLetters: unknown[];
  /** Withdrawal use case with a queue that only records what was added. */
  withdrawals: WithdrawalsService;
  queued: string[];
  deliver(envelope: EventEnvelope): Promise<void>;
  /** Envelopes of one topic as one fetched batch (applied together in one transaction when they allow it). */
  deliverBatch(envelopes: EventEnvelope[]): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh rewards database (migrations run), the use cases wired on it, genesis minted. */
export async function openRewards(label: string, options: { poolSize?: number; chain?: ChainAdapter; genesis?: boolean } = {}): Promise<RewardsHarness> {
  const db = await createTestDatabase(`rewards_${label}`);
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: db.url, entities: REWARDS_ENTITIES, migrations: REWARDS_MIGRATIONS, poolSize: options.poolSize ?? 6, applicationName: `rewards-${label}` }),
    logging: false,
  });
  await dataSource.initialize();
  const core = createRewardsCore(dataSource, logger, { chain: options.chain });
  if (options.genesis !== false) await core.genesis.ensureGenesis();

  const deadLetters: unknown[] = [];
  const producer = { send: async (record: unknown) => void deadLetters.push(record) } as unknown as Producer;
  const consumer = new EventConsumer({} as Kafka, producer, dataSource, logger, { groupId: 'rewards', maxWaitTimeInMs: 100, maxAttempts: 2, retryBaseMs: 5 });
  const membership = new MembershipHandler(core.members, core.grants);
  const rewards = new RewardEventsHandler(core.grants, core.earnings);
  const juries = new DisputeResolvedHandler(core.grants);
  const applications = new ApplicationEventsHandler(core.staking);
  const feeConversions = new FeeConversionEventsHandler(core.treasury);
  const treasuryGrants = new GrantApprovedHandler(core.treasuryGrants);
  const policyParameters = new PolicyParameterChangedHandler(logger);
  consumer
    .on(KycApproved, (e, tx) => membership.onKycApproved(e as never, tx))
    .on(KycApproved, (e, tx) => treasuryGrants.onKycApproved(e as never, tx))
    .on(TalentScreened, (e, tx) => rewards.onTalentScreened(e as never, tx))
    .on(RatingSubmitted, (e, tx) => rewards.onRatingSubmitted(e as never, tx))
    .on(ReferralQualified, (e, tx) => rewards.onReferralQualified(e as never, tx))
    .on(InvoicePaid, (e, tx) => rewards.onInvoicePaid(e as never, tx))
    .on(DisputeResolved, (e, tx) => juries.onDisputeResolved(e as never, tx))
    .on(ApplicationSubmitted, (e, tx) => applications.onApplicationSubmitted(e as never, tx))
    .on(InterviewRecorded, (e, tx) => applications.onInterviewRecorded(e as never, tx))
    .on(ApplicationResolved, (e, tx) => applications.onApplicationResolved(e as never, tx))
    .on(FeesConverted, (e, tx) => feeConversions.onFeesConverted(e as never, tx))
    .on(GrantApproved, (e, tx) => treasuryGrants.onGrantApproved(e as never, tx))
    .on(ParameterChanged, (e, tx) => policyParameters.onParameterChanged(e as never, tx));

  const queued: string[] = [];
  const queue = { add: async (_def: unknown, data: { withdrawalId: string }) => (queued.push(data.withdrawalId), data.withdrawalId) } as unknown as JobQueue;
  // No wait for the membership projection: these tests add members before they withdraw.
  const withdrawals = new WithdrawalsService(dataSource, core.ledger, core.members, core.balances, core.events, logger, { PROJECTION_WAIT_MS: 0 }, queue);

  return {
    db,
    dataSource,
    core,
    consumer,
    deadLetters,
    withdrawals,
    queued,
    deliver: (envelope) => deliverEnvelope(consumer, envelope),
    deliverBatch: (envelopes) => deliverEnvelopes(consumer, envelopes),
    sql: (text, params) => dataSource.query(text, params as unknown[]),
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** A member (as if identity's KycApproved had been consumed) with an open wallet. */
export async function addMember(h: RewardsHarness, userId: string = randomUUID()): Promise<string> {
  await inTransaction(h.dataSource, (tx) =>
    h.core.members.recordApproval(tx, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: new Date().toISOString() }),
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

// `npm run build && node tools/bench/ledger.mjs`: throughput of the rewards ledger.
//
// On a fresh PostgreSQL database (migrations, genesis): BENCH_USERS members (default 5,000),
// then BENCH_GRANTS reward deliveries (default 50,000) spread over them, 10% of which are
// duplicate deliveries (the same policy, reference and beneficiary again, under a new event
// id, so the inbox lets them through and only the grant's own idempotency stops them). Every
// delivery goes through the service's consumer path as kafkajs hands it over: messages keyed by
// aggregate into BENCH_CONCURRENCY (8) partitions, each consumed in order in batches of
// BENCH_BATCH (100, the consumer's default): envelope validation, the inbox in one statement,
// the reward handler -> its use case -> GrantsService -> Ledger, all in one transaction per batch,
// 8 partitions at once, through the rewards module as production wires it. Prints grants/s, the duplicate payments found by SQL (must be 0), and, as the
// baseline of the ratio, the same run's rate of raw single-row INSERTs into a plain table at
// the same concurrency. The database is dropped at the end.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (p) => import(path.join(root, p));
const platform = await load('libs/platform/dist/index.js');
const { openServiceModule, startKafkaBroker } = await load('libs/testing/dist/index.js');
const { createEvent, InvoicePaid, KycApproved, TalentScreened, RatingSubmitted, ReferralQualified } = await load('libs/events/dist/index.js');
const { RewardsModule } = await load('apps/rewards/dist/app.module.js');
const { RewardsConfigSchema } = await load('apps/rewards/dist/config.js');
const { SupplyService } = await load('apps/rewards/dist/supply/supply.service.js');
const { toUnits } = platform;
const { default: pg } = await import('pg');
const { prng, run } = await import('./kit.mjs');

const GRANTS = Number(process.env.BENCH_GRANTS ?? 50_000);
const USERS = Number(process.env.BENCH_USERS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const DUPLICATE_SHARE = 0.1;

// The rewards service as production wires it (its module: every handler, the consumer, the outbox
// relay, BullMQ), on a fresh database, the machine's Redis and a local broker; events are handed to
// its consumer in-process, as kafkajs would hand over fetched batches.
const broker = await startKafkaBroker();
process.env.KAFKA_BROKERS = broker.brokers.join(',');
let service;
let pool;
try {
  service = await openServiceModule({
    platform,
    service: 'rewards',
    label: 'bench_ledger',
    configSchema: RewardsConfigSchema,
    module: (config) => RewardsModule.register(config),
    env: { DATABASE_POOL_SIZE: String(CONCURRENCY + 2), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent', KAFKA_CONSUMER_BATCH_SIZE: String(BATCH) },
  });
  const { consumer, dataSource, deadLetters } = service;

  // Members, as identity's KycApproved makes them (the projection records them and opens their wallets), in batches.
  const users = Array.from({ length: USERS }, () => randomUUID());
  const approvals = users.map((userId) =>
    createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: new Date().toISOString() }),
  );
  for (let i = 0; i < approvals.length; i += 250) await service.deliverBatch(approvals.slice(i, i + 250));

  const definitions = new Map([TalentScreened, RatingSubmitted, ReferralQualified, InvoicePaid].map((d) => [d.type, d]));
  // As kafkajs hands them over: each message on its producer's topic (consumers refuse an event on
  // any other), in a partition by its key (the aggregate), each partition in order, in batches.
  const message = (e, offset) => ({
    key: Buffer.from(e.aggregateId),
    value: Buffer.from(JSON.stringify(e)),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {},
  });
  const partitionOf = (key) => [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % CONCURRENCY;
  const consume = async (events, label) => {
    const partitions = Array.from({ length: CONCURRENCY }, () => new Map()); // partition -> topic -> messages
    events.forEach((e, offset) => {
      const topics = partitions[partitionOf(e.aggregateId)];
      const topic = service.topic(definitions.get(e.type).topic);
      if (!topics.has(topic)) topics.set(topic, []);
      topics.get(topic).push(message(e, offset));
    });
    const batches = partitions.map((topics, partition) =>
      [...topics].flatMap(([topic, messages]) =>
        Array.from({ length: Math.ceil(messages.length / BATCH) }, (_, b) => ({ topic, partition, messages: messages.slice(b * BATCH, (b + 1) * BATCH) })),
      ),
    );
    let done = 0;
    const started = performance.now();
    await Promise.all(
      batches.map(async (list) => {
        for (const { topic, partition, messages } of list) {
          await consumer.handleBatch(topic, partition, messages);
          if (label && Math.floor((done + messages.length) / (events.length / 5)) > Math.floor(done / (events.length / 5)))
            process.stderr.write(`  ${label}: ${done + messages.length}/${events.length}\n`);
          done += messages.length;
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };

  // Rewards are earned on paid value. Set-up (not timed): contracts with a qualified referral, and
  // contracts rated 5 stars; neither pays anything until an invoice of the contract is paid.
  const random = prng(42);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const now = new Date().toISOString();
  const distinct = Math.round(GRANTS * (1 - DUPLICATE_SHARE));
  const setup = [];
  const paidInvoice = (contractId, amount) =>
    createEvent(InvoicePaid, {
      invoiceId: randomUUID(),
      contractId,
      talentId: pick(users),
      clientId: pick(users),
      subtotal: { amount, currency: 'USD' },
      platformFee: { amount: '0.00', currency: 'USD' },
      feeRate: '0.10',
      total: { amount, currency: 'USD' },
      subtotalUsd: { amount, currency: 'USD' },
      usdRate: '1',
      providerReference: 'bench',
      paidAt: now,
    });
  // The timed deliveries: 90% distinct grant-earning events, 10% repeats of earlier ones (new event ids), shuffled.
  const originals = Array.from({ length: distinct }, (_, i) => {
    // Each member earns about as often under each policy (well within the daily caps).
    const user = users[Math.floor(i / 3) % USERS];
    const contractId = randomUUID();
    switch (i % 3) {
      case 0:
        return createEvent(TalentScreened, { screeningId: randomUUID(), talentId: randomUUID(), inspectorId: user, decision: 'APPROVED', screenedAt: now });
      case 1:
        setup.push(
          createEvent(RatingSubmitted, {
            ratingId: randomUUID(),
            contractId,
            raterId: pick(users),
            rateeId: user,
            rateeRole: 'TALENT',
            stars: 5,
            rateeAverageRating: 5,
            rateeRatingsCount: 1,
            submittedAt: now,
          }),
        );
        return paidInvoice(contractId, (400 + Math.floor(random() * 100_000) / 100).toFixed(2));
      default:
        setup.push(
          createEvent(ReferralQualified, {
            referralId: randomUUID(),
            referralType: 'JOB',
            kind: random() < 0.5 ? 'TALENT' : 'CLIENT',
            connectorId: user,
            referredUserId: pick(users),
            contractId,
            contractValue: { amount: '0.01', currency: 'USD' },
            qualifiedAt: now,
          }),
        );
        return paidInvoice(contractId, (100 + Math.floor(random() * 2_000_000) / 100).toFixed(2));
    }
  });
  const deliveries = [...originals];
  for (let i = 0; i < GRANTS - distinct; i++) {
    // Mostly a recent grant (often still in flight: the unique index decides), sometimes an old one.
    const index =
      random() < 0.7
        ? Math.max(0, Math.min(distinct - 1, Math.floor(((i + 1) / (GRANTS - distinct)) * distinct) - Math.floor(random() * 16)))
        : Math.floor(random() * distinct);
    const original = originals[index];
    deliveries.splice(
      Math.min(deliveries.length, Math.ceil(index * (GRANTS / distinct)) + 1 + Math.floor(random() * 4)),
      0,
      createEvent(definitions.get(original.type), original.payload),
    );
  }
  await consume(setup);
  process.stderr.write(
    `${USERS} members ready, ${setup.length} referrals and ratings waiting for paid invoices; ${GRANTS} deliveries (${GRANTS - distinct} duplicates), ${CONCURRENCY} partitions at once, batches of ${BATCH}\n`,
  );
  const grantSeconds = await consume(deliveries, 'grants');

  // Verification, by SQL on the ledger itself.
  const q = async (text) => (await dataSource.query(text))[0];
  const { duplicates } = await q(`
    SELECT count(*)::int AS duplicates FROM (
      SELECT t.reason, t.reference, p.account_id
        FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id AND p.amount > 0
       WHERE t.kind = 'REWARD'
       GROUP BY 1, 2, 3 HAVING count(*) > 1) d`);
  const { paid } = await q(`SELECT count(*)::int AS paid FROM reward_grants WHERE status = 'PAID'`);
  const refusals = await dataSource.query(
    `SELECT policy_key, refusal_reason, count(*)::int AS n FROM reward_grants WHERE status = 'REFUSED' GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const { rewards } = await q(`SELECT count(*)::int AS rewards FROM ledger_transactions WHERE kind = 'REWARD'`);
  const { unbalanced } = await q(`SELECT count(*)::int AS unbalanced FROM (SELECT 1 FROM ledger_postings GROUP BY transaction_id HAVING sum(amount) <> 0) u`);
  const { total } = await q(`SELECT sum(amount)::text AS total FROM ledger_postings`);
  const supply = await service.app.get(SupplyService).supply();
  const poolHolds =
    toUnits(supply.communityPoolRemaining) >= 0n && toUnits(supply.communityPoolRemaining) + toUnits(supply.distributedRewards) === toUnits('135000000');

  // Baseline: raw single-row INSERTs (autocommit) into a plain table, same count, same concurrency.
  pool = new pg.Pool({ connectionString: service.db.url, max: CONCURRENCY });
  // An idle client's connection error (e.g. the server closing it) must not crash the run unreported.
  pool.on('error', (error) => console.error(`baseline pool: ${error.message}`));
  await pool.query(`CREATE TABLE bench_plain (id uuid PRIMARY KEY, n integer NOT NULL, note text NOT NULL)`);
  const insertSeconds = await run(
    GRANTS,
    CONCURRENCY,
    (i) => pool.query(`INSERT INTO bench_plain (id, n, note) VALUES ($1, $2, $3)`, [randomUUID(), i, 'baseline']),
    'inserts',
  );

  const grantsPerSecond = GRANTS / grantSeconds;
  const insertsPerSecond = GRANTS / insertSeconds;
  console.log(
    `\nrewards ledger: ${GRANTS} reward deliveries (${GRANTS - distinct} duplicates) over ${USERS} members, ${CONCURRENCY} partitions at once, batches of ${BATCH}\n`,
  );
  console.table([
    { what: 'reward grants (inbox + grant + journal + 3 events)', 'per second': Math.round(grantsPerSecond), seconds: grantSeconds.toFixed(1) },
    { what: 'raw single-row INSERT (baseline)', 'per second': Math.round(insertsPerSecond), seconds: insertSeconds.toFixed(1) },
  ]);
  console.log(`grants / raw inserts: ${(grantsPerSecond / insertsPerSecond).toFixed(2)}`);
  console.log(`paid grants: ${paid} (distinct: ${distinct}), REWARD journal transactions: ${rewards}`);
  console.log(`duplicate payments (SQL): ${duplicates}`);
  if (refusals.length) console.log(`refused: ${refusals.map((r) => `${r.policy_key} ${r.refusal_reason} x${r.n}`).join(', ')}`);
  console.log(`unbalanced journal transactions: ${unbalanced}, sum of all postings: ${total}, dead letters: ${deadLetters.length}`);
  console.log(`pool remaining ${supply.communityPoolRemaining} + distributed ${supply.distributedRewards} = 135000000: ${poolHolds}`);
  const ok =
    duplicates === 0 && paid === distinct && rewards === distinct && unbalanced === 0 && toUnits(total) === 0n && deadLetters.length === 0 && poolHolds;
  if (!ok) {
    console.error('ledger benchmark: verification FAILED');
    process.exitCode = 1;
  }
} finally {
  await pool?.end().catch(() => undefined);
  await service?.close(); // drops the database
  await broker.stop();
}

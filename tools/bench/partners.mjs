// `npm run build && node tools/bench/partners.mjs`: how fast a posted job reaches partner nodes (issue 12).
//
// On the real stack (identity, jobs, partners and the gateway as production processes on fresh
// databases, Redis and a Kafka-protocol broker: KAFKA_BROKERS or a kcat mock cluster started here).
// Set-up (not timed): a member client; a partner node registered through the gateway, subscribed to
// job.posted, whose webhook receiver runs in this process and verifies every delivery with the node's
// secret (standardwebhooks); a Kafka consumer of public.jobs.v1 in this process, as a partner reading
// the topic directly would be. Then BENCH_JOBS (default 300) jobs are posted through the gateway,
// BENCH_CONCURRENCY (default 4) at a time. For each job, from the moment postJob answered:
//  A. the CloudEvent on public.jobs.v1 reaches the Kafka consumer (outbox relay -> broker -> partner);
//  B. the signed webhook reaches the receiver (A, then the partners service's consumer, fan-out,
//     BullMQ job, HTTP POST).
// Prints p50/p95/p99 of both, side by side from the same run, and `webhook/kafka p50 ratio`, the cost
// of the webhook path over reading the topic. Exits 1 when a delivery is missing, doubled, does not
// verify, or a partner delivery is not DELIVERED at its first attempt.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { decodePublicEvent, makeMember, registerPersona, signInAdmin, startWebhookReceiver, waitFor } = await import(
  path.join(root, 'libs/testing/dist/index.js')
);
const { run, startBenchStack, stats } = await import('./kit.mjs');
const { Kafka, logLevel } = await import('kafkajs');
const { Webhook } = await import('standardwebhooks');

const JOBS = Number(process.env.BENCH_JOBS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'error';
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const ms = (x) => Number(x.toFixed(1));

const answeredAt = new Map();
const viaKafka = new Map();
const viaWebhook = new Map();
let duplicates = 0;
let invalid = 0;
let secret = '';

const receiver = await startWebhookReceiver({
  onDelivery: ({ headers, body, receivedAt }) => {
    try {
      new Webhook(secret).verify(body, headers);
      const { data } = JSON.parse(body);
      if (viaWebhook.has(data.jobId)) duplicates++;
      else viaWebhook.set(data.jobId, receivedAt);
    } catch {
      invalid++;
    }
  },
});

let exitCode = 0;
const { stack, stop: stopAll } = await startBenchStack(['jobs', 'partners'], { logLevel: LOG_LEVEL });
const kafka = new Kafka({ clientId: 'bench-partner', brokers: process.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `bench-partner-${Date.now()}`, maxWaitTimeInMs: 50 });

try {
  const admin = await signInAdmin(stack);
  const client = await registerPersona(stack, ['CLIENT'], 'Bench Client');
  await makeMember(stack, client, admin);
  const { registerPartnerNode } = await admin.api.data(
    `mutation ($input: RegisterPartnerNodeInput!) { registerPartnerNode(input: $input) { signingSecret node { id } } }`,
    { input: { name: 'Bench job board', webhookUrl: receiver.url, eventTypes: ['job.posted'] } },
  );
  secret = registerPartnerNode.signingSecret;

  await consumer.connect();
  await consumer.subscribe({ topic: stack.topic('public.jobs.v1'), fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const now = performance.now();
      const event = decodePublicEvent(message);
      if (event.type === 'job.posted' && !viaKafka.has(event.payload.jobId)) viaKafka.set(event.payload.jobId, now);
    },
  });

  const input = (i) => ({
    title: `Bench job ${i}`,
    description: 'A job posted by the partners benchmark.',
    skills: ['typescript', 'kafka'],
    minYearsExperience: 1,
    countries: [],
    budget: { min: { amount: '40', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
    hoursPerWeek: 20,
    durationWeeks: 4,
  });
  // Untimed: membership reaches jobs by event; the consumer's group joins; the path warms up.
  const warm = await waitFor(async () => (await client.api.request(POST_JOB, { input: input(-1) })).data?.postJob, 30_000, { message: 'client can post' });
  await waitFor(() => viaWebhook.has(warm.id) && viaKafka.has(warm.id), 60_000, { message: 'the warm-up job reaches both paths' });

  const elapsed = await run(
    JOBS,
    CONCURRENCY,
    async (i) => {
      const { postJob } = await client.api.data(POST_JOB, { input: input(i) });
      answeredAt.set(postJob.id, performance.now());
    },
    'posting jobs',
  );
  await waitFor(() => [...answeredAt.keys()].every((id) => viaWebhook.has(id) && viaKafka.has(id)), 120_000, { message: 'every job reaches both paths' }).catch(
    (error) => {
      console.error(error.message);
      exitCode = 1;
    },
  );

  const latency = (arrivals) => [...answeredAt].filter(([id]) => arrivals.has(id)).map(([id, t0]) => Math.max(0, arrivals.get(id) - t0));
  const kafkaStats = stats(latency(viaKafka));
  const webhookStats = stats(latency(viaWebhook));
  const [{ delivered, first_attempt, total }] = await stack.services.partners.sql(
    `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered, count(*) FILTER (WHERE attempts = 1)::int AS first_attempt, count(*)::int AS total FROM partner_deliveries`,
  );

  console.log(`\n${JOBS} jobs posted in ${elapsed.toFixed(1)} s (${(JOBS / elapsed).toFixed(1)} jobs/s, ${CONCURRENCY} in flight)`);
  console.log('from postJob answered to ...                  p50 ms   p95 ms   p99 ms');
  console.log(
    `A. CloudEvent read from public.jobs.v1       ${String(ms(kafkaStats.p50)).padStart(7)}  ${String(ms(kafkaStats.p95)).padStart(7)}  ${String(ms(kafkaStats.p99)).padStart(7)}`,
  );
  console.log(
    `B. signed webhook received and verified      ${String(ms(webhookStats.p50)).padStart(7)}  ${String(ms(webhookStats.p95)).padStart(7)}  ${String(ms(webhookStats.p99)).padStart(7)}`,
  );
  console.log(`webhook/kafka p50 ratio: ${(webhookStats.p50 / kafkaStats.p50).toFixed(2)}`);
  console.log(`webhook/kafka p95 ratio: ${(webhookStats.p95 / kafkaStats.p95).toFixed(2)}`);
  console.log(
    `deliveries: ${total} (jobs + warm-up: ${JOBS + 1}), DELIVERED ${delivered}, at the first attempt ${first_attempt}; received twice ${duplicates}; not verifying ${invalid}`,
  );
  if (total !== JOBS + 1 || delivered !== total || first_attempt !== total || duplicates > 0 || invalid > 0 || viaWebhook.size !== JOBS + 1) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await consumer.disconnect().catch(() => undefined);
  await stopAll();
  await receiver.stop();
}
process.exit(exitCode);

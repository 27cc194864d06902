// `npm run build && node tools/bench/payments.mjs`: approving invoices under client retries (issue 10).
//
// On the real stack (startStack: identity, payments and the gateway as processes with fresh
// databases, Redis, a Kafka-protocol broker: KAFKA_BROKERS or a kcat mock cluster started here),
// with the local payment provider confirming each charge by signed webhook 300 ms later.
// Set-up (not timed): one client and one talent register through the gateway; their contracts
// (three HOURLY at 62.50/85.00/120.00 USD, one FIXED) and BENCH_INVOICES (default 5,000)
// SUBMITTED invoices are inserted straight into payments' database by SQL (submitting 5,000
// through the gateway would time the set-up, not the approvals), priced as submitInvoice prices
// them (hours x rate, fee at the platform.feeRate parameter, half even). Totals whose last two
// cent digits are 13 or 31 are drawn again: the local provider declines (13) or times out (31)
// on those on purpose. 20 more invoices are approved first, untimed, as a warm-up.
// Then, in one run and at the same concurrency (BENCH_CONCURRENCY invoices in flight, default 16),
// all through the gateway as the client:
//  A. baseline: `invoice(id)` read once per invoice;
//  B. `approveInvoice(id, key)` once per invoice, except that for BENCH_RETRY_SHARE (0.2) of
//     them, picked by a seeded PRNG, 2 or 3 requests with the same key are sent at once (a
//     client retrying while its first request is still in flight).
// Prints per-request (client-observed) p50/p95/p99, reads/s and approvals/s (distinct invoices
// per second), their ratios, and, once every invoice is PAID (webhooks; BENCH_PAID_TIMEOUT_S,
// default 300), counts by SQL: provider charges (must equal the invoices), invoices charged
// more than once (must be 0), attempts and PAID invoices. Exits 1 on any request error, a
// missing or double charge, or an invoice not PAID in time. The stack is stopped at the end.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { registerPersona } = await import(path.join(root, 'libs/testing/dist/index.js'));
const { exactDecimal, formatMinor, multiplyMinor } = await import(path.join(root, 'libs/platform/dist/index.js'));
const { prng, run, startBenchStack, stats } = await import('./kit.mjs');

const INVOICES = Number(process.env.BENCH_INVOICES ?? 5_000);
const RETRY_SHARE = Number(process.env.BENCH_RETRY_SHARE ?? 0.2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PAID_TIMEOUT_S = Number(process.env.BENCH_PAID_TIMEOUT_S ?? 300);
const WARMUP = 20;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'error';

const READ = `query ($id: ID!) { invoice(id: $id) { id status total { amount currency } } }`;
const APPROVE = `mutation ($id: ID!, $key: String!) { approveInvoice(invoiceId: $id, idempotencyKey: $key) { id status total { amount currency } } }`;

const ms = (x) => Number(x.toFixed(1));

const cents = (minor) => formatMinor(minor, 'USD');

let exitCode = 0;
const { stack, stop: stopAll } = await startBenchStack('payments', { logLevel: LOG_LEVEL });

try {
  const sql = stack.services.payments.sql;
  const client = await registerPersona(stack, ['CLIENT'], 'Bench Client');
  const talent = await registerPersona(stack, ['TALENT'], 'Bench Talent');

  // Contracts and SUBMITTED invoices, priced as submitInvoice prices them.
  const [{ value: feeRateText }] = await sql(`SELECT value FROM governed_parameters WHERE key = 'platform.feeRate'`);
  const feeRate = exactDecimal(feeRateText);
  const contracts = [
    { id: randomUUID(), unit: 'HOURLY', rate: 6250n },
    { id: randomUUID(), unit: 'HOURLY', rate: 8500n },
    { id: randomUUID(), unit: 'HOURLY', rate: 12000n },
    { id: randomUUID(), unit: 'FIXED', rate: 200000n },
  ];
  const startedAt = new Date(Date.now() - 90 * 86_400_000);
  for (const c of contracts) {
    await sql(
      `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at, job_id) VALUES ($1, $2, $3, $4, $5, 'USD', 'ACTIVE', $6, $7)`,
      [c.id, talent.id, client.id, cents(c.rate), c.unit, startedAt, randomUUID()],
    );
  }
  const random = prng(20_260_110);
  const total = INVOICES + WARMUP;
  const rows = { id: [], contract: [], description: [], hours: [], subtotal: [], fee: [], total: [], created: [] };
  let redrawn = 0;
  for (let i = 0; i < total; i++) {
    const contract = contracts[Math.floor(random() * contracts.length)];
    for (;;) {
      let hours = null;
      let subtotal;
      if (contract.unit === 'HOURLY') {
        const quarterHours = 1 + Math.floor(random() * 160); // 0.25 to 40 h
        hours = BigInt(quarterHours * 25); // hundredths
        subtotal = multiplyMinor(contract.rate, { units: hours, scale: 100n });
      } else {
        subtotal = 25_000n + BigInt(Math.floor(random() * 775_000)); // 250.00 to 8,000.00
      }
      const fee = multiplyMinor(subtotal, feeRate);
      const sum = subtotal + fee;
      if (sum % 100n === 13n || sum % 100n === 31n) {
        redrawn++;
        continue;
      }
      rows.id.push(randomUUID());
      rows.contract.push(contract.id);
      rows.description.push(contract.unit === 'HOURLY' ? `Week ${1 + (i % 52)}: API and integration work` : `Milestone ${1 + (i % 12)}`);
      rows.hours.push(hours === null ? null : cents(hours));
      rows.subtotal.push(cents(subtotal));
      rows.fee.push(cents(fee));
      rows.total.push(cents(sum));
      rows.created.push(new Date(Date.now() - (total - i) * 60_000));
      break;
    }
  }
  await sql(
    `INSERT INTO invoices (id, contract_id, talent_id, client_id, description, hours, subtotal, platform_fee, fee_rate, total, currency, status, created_at)
     SELECT id, contract_id, $9, $10, description, hours, subtotal, platform_fee, $11, total, 'USD', 'SUBMITTED', created_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::timestamptz[])
         AS t(id, contract_id, description, hours, subtotal, platform_fee, total, created_at)`,
    [rows.id, rows.contract, rows.description, rows.hours, rows.subtotal, rows.fee, rows.total, rows.created, talent.id, client.id, feeRateText],
  );
  const warmupIds = rows.id.slice(0, WARMUP);
  const ids = rows.id.slice(WARMUP);

  const errors = [];
  const request = async (query, variables, expect) => {
    const started = performance.now();
    let res;
    try {
      res = await client.api.request(query, variables);
    } catch (error) {
      res = { errors: [{ message: error.message }], status: 0 };
    }
    const latency = performance.now() - started;
    const invoice = res.data?.invoice ?? res.data?.approveInvoice;
    if (res.errors?.length || res.status !== 200 || invoice?.id !== variables.id || !expect.includes(invoice?.status)) {
      errors.push({ variables, status: res.status, errors: res.errors, invoice });
    }
    return latency;
  };

  // Warm-up (untimed): JIT, JWKS and query plan caches, connections.
  await run(WARMUP, CONCURRENCY, (i) => request(READ, { id: warmupIds[i] }, ['SUBMITTED']));
  await run(WARMUP, CONCURRENCY, (i) => request(APPROVE, { id: warmupIds[i], key: `warmup-${i}-${randomUUID()}` }, ['APPROVED', 'PAID']));
  if (errors.length) throw new Error(`warm-up failed: ${JSON.stringify(errors.slice(0, 3))}`);

  // Which invoices a retrying client sends 2 or 3 times at once, with the same key.
  const pick = prng(7);
  const copies = ids.map(() => (pick() < RETRY_SHARE ? (pick() < 0.5 ? 2 : 3) : 1));
  const retried = copies.filter((c) => c > 1).length;
  const requests = copies.reduce((a, b) => a + b, 0);
  process.stderr.write(
    `${INVOICES} SUBMITTED invoices (${redrawn} test-amount totals redrawn); ${retried} retried with the same key (${requests} approve requests), ${CONCURRENCY} invoices in flight\n`,
  );

  // A. Baseline: reads of the same invoices.
  const readLatencies = [];
  const readSeconds = await run(INVOICES, CONCURRENCY, async (i) => void readLatencies.push(await request(READ, { id: ids[i] }, ['SUBMITTED'])), 'reads');
  const readErrors = errors.length;

  // B. Approvals, some retried concurrently with the same key.
  const approveLatencies = [];
  const retriedLatencies = [];
  const approveStarted = performance.now();
  const approveSeconds = await run(
    INVOICES,
    CONCURRENCY,
    async (i) => {
      const key = `bench-${i}-${randomUUID()}`;
      const latencies = await Promise.all(Array.from({ length: copies[i] }, () => request(APPROVE, { id: ids[i], key }, ['APPROVED', 'PAID'])));
      approveLatencies.push(...latencies);
      if (copies[i] > 1) retriedLatencies.push(...latencies);
    },
    'approvals',
  );
  const approveErrors = errors.length - readErrors;

  // Every invoice PAID by its webhook, within the timeout.
  const all = [...warmupIds, ...ids];
  const deadline = Date.now() + PAID_TIMEOUT_S * 1000;
  let paid = 0;
  for (;;) {
    [{ paid }] = await sql(`SELECT count(*)::int AS paid FROM invoices WHERE status = 'PAID' AND id = ANY($1::uuid[])`, [all]);
    if (paid === all.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const allPaidSeconds = (performance.now() - approveStarted) / 1000;

  const one = async (text) => (await sql(text, [all]))[0];
  const { charges } = await one(`SELECT count(*)::int AS charges FROM provider_charges WHERE reference = ANY($1::text[])`);
  const { doubled } = await one(
    `SELECT count(*)::int AS doubled FROM (SELECT reference FROM provider_charges WHERE reference = ANY($1::text[]) GROUP BY reference HAVING count(*) > 1) d`,
  );
  const { uncharged } = await one(
    `SELECT count(*)::int AS uncharged FROM invoices i WHERE id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM provider_charges c WHERE c.reference = i.id::text)`,
  );
  const { attempts } = await one(`SELECT count(*)::int AS attempts FROM payment_attempts WHERE invoice_id = ANY($1::uuid[])`);
  const { succeeded } = await one(`SELECT count(*)::int AS succeeded FROM provider_charges WHERE reference = ANY($1::text[]) AND status = 'SUCCEEDED'`);
  const { strays } = await one(`SELECT count(*)::int AS strays FROM provider_charges WHERE NOT (reference = ANY($1::text[]))`);
  const byStatus = await sql(`SELECT status, count(*)::int AS n FROM invoices WHERE id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`, [all]);

  const read = stats(readLatencies);
  const approve = stats(approveLatencies);
  const retry = stats(retriedLatencies);
  const readsPerSecond = INVOICES / readSeconds;
  const approvalsPerSecond = INVOICES / approveSeconds;
  console.log(
    `\npayments: ${INVOICES} invoices, ${retried} (${((retried / INVOICES) * 100).toFixed(0)}%) retried concurrently with the same key, ${CONCURRENCY} invoices in flight, through the gateway\n`,
  );
  console.table([
    {
      what: 'invoice(id) read (baseline)',
      requests: INVOICES,
      'per second': Math.round(readsPerSecond),
      'p50 ms': ms(read.p50),
      'p95 ms': ms(read.p95),
      'p99 ms': ms(read.p99),
      errors: readErrors,
    },
    {
      what: 'approveInvoice (all requests)',
      requests,
      'per second': Math.round(approvalsPerSecond),
      'p50 ms': ms(approve.p50),
      'p95 ms': ms(approve.p95),
      'p99 ms': ms(approve.p99),
      errors: approveErrors,
    },
    {
      what: '  of which retried invoices',
      requests: retriedLatencies.length,
      'per second': '',
      'p50 ms': ms(retry.p50),
      'p95 ms': ms(retry.p95),
      'p99 ms': ms(retry.p99),
      errors: '',
    },
  ]);
  console.log(
    `approvals/s counts distinct invoices (${approveSeconds.toFixed(1)} s); ` +
      (paid === all.length
        ? `every one PAID by webhook ${allPaidSeconds.toFixed(1)} s after the first approval`
        : `${paid} of ${all.length} PAID ${allPaidSeconds.toFixed(1)} s after the first approval`),
  );
  console.log(`approve p95 / read p95: ${(approve.p95 / read.p95).toFixed(2)}   approvals/s / reads/s: ${(approvalsPerSecond / readsPerSecond).toFixed(2)}\n`);
  console.table([
    { check: `provider charges (must be ${all.length} = ${INVOICES} + ${WARMUP} warm-up)`, value: charges, ok: charges === all.length },
    { check: 'invoices charged more than once (must be 0)', value: doubled, ok: doubled === 0 },
    { check: 'invoices never charged (must be 0)', value: uncharged, ok: uncharged === 0 },
    { check: 'charges for other references (must be 0)', value: strays, ok: strays === 0 },
    { check: `payment attempts (one per key: ${all.length})`, value: attempts, ok: attempts === all.length },
    { check: 'charges SUCCEEDED', value: succeeded, ok: succeeded === all.length },
    { check: `invoices PAID within ${PAID_TIMEOUT_S} s`, value: paid, ok: paid === all.length },
    { check: 'request errors (must be 0)', value: errors.length, ok: errors.length === 0 },
  ]);
  console.log(`invoices by status: ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  if (errors.length) console.log(`first errors: ${JSON.stringify(errors.slice(0, 3))}`);
  if (charges !== all.length || doubled || uncharged || strays || paid !== all.length || errors.length) {
    console.log('FAILED: see the checks above');
    exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);

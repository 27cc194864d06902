// `npm run chaos [-- --profile short|full] [--only NAME]`: fault injection on the real stack.
//
// Starts the local Kafka-protocol broker (kcat mock) and a stack through libs/testing's startStack
// (identity, jobs, referrals, rewards, payments as processes, fresh databases), then runs one
// scenario per round with fresh personas: the inspector screens a talent (reward), stakes on two
// jobs (StakeLocked), a no-show slashes one stake and closing the other job releases it, a
// connector refers the talent, the client hires, the talent invoices and the client pays (the
// connector is rewarded). Round 1 has no fault (the baseline); every other round injects one
// fault right after one saga step, lets the stack settle (outboxes drained, every consumer group
// caught up, bounded by CHAOS_SETTLE_MS) and counts from the services' own databases:
//   published  outbox rows of the round with published_at set (all services)
//   applied    inbox rows of the consuming services for those events
//   lost       (event, consumer) pairs never applied, for consumers subscribed to the event's type
//              (the pairs the baseline applied), plus outbox rows never published ("stuck")
//   doubled    ledger transactions with the same kind, reason, reference and postings as another,
//              stakes locked twice, reward grants paid twice
//   balances   sum of postings = 0, pool + distributed = 135M, and the round's wallet balances and
//              treasury/pool movements equal the baseline's
// Exits 1 when anything is lost, doubled or unbalanced.
//
// What the faults mean here (shared machine: PostgreSQL and Redis are never stopped):
//   pg-outage:<svc>  the service's own database refuses connections (ALLOW_CONNECTIONS false) and its
//                    sessions are terminated for CHAOS_OUTAGE_MS (15 s)
//   redis-kill       CLIENT KILL of every Redis connection of the stack's processes (a Redis restart
//                    as the clients see it; the server and other runs' clients are untouched)
//   kill:<svc>       SIGKILL of the service, then started again on its port and database
//   broker-pause     the kcat mock broker SIGSTOPped for CHAOS_OUTAGE_MS then SIGCONTed. The mock keeps
//                    topics in memory and listens on a random port, so a real restart would lose
//                    every topic and move the broker: that is not a fault the stack can survive by
//                    design (a real cluster keeps its log); a stalled, unreachable broker is what we test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const T = await import(path.join(root, 'libs/testing/dist/index.js'));

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const PROFILE = opt('profile', 'full');
const ONLY = opt('only', null);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 15_000);
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_MS ?? 90_000);
const STEP_WAIT_MS = Number(process.env.CHAOS_STEP_WAIT_MS ?? 60_000);
const SERVICES = ['jobs', 'referrals', 'rewards', 'payments'];
const ALL = ['identity', ...SERVICES];
const STEPS = ['screen', 'stake', 'settle-stakes', 'hire', 'invoice'];
const TOPICS = ['identity', 'jobs', 'referrals', 'rewards', 'payments'].map((s) => `${s}.events.v1`);

const log = (msg) => process.stderr.write(`[chaos] ${msg}\n`);

/** The faults of each profile: [name, step after which it is injected]. */
function faults(profile) {
  if (profile === 'short') {
    return [
      ['pg-outage:rewards', 'invoice'],
      ['kill:rewards', 'stake'],
      ['redis-kill', 'stake'],
      ['broker-pause', 'hire'],
    ];
  }
  const list = [];
  for (const svc of ['rewards', 'jobs', 'payments', 'referrals']) list.push([`pg-outage:${svc}`, svc === 'jobs' ? 'stake' : 'invoice']);
  list.push(['redis-kill', 'stake'], ['redis-kill', 'invoice'], ['broker-pause', 'stake'], ['broker-pause', 'invoice']);
  for (const svc of SERVICES) for (const step of STEPS) list.push([`kill:${svc}`, step]);
  return list;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Retries a GraphQL call until it answers without errors (a fault may be in progress), up to `ms`. */
async function eventually(call, what, ms = STEP_WAIT_MS) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const res = await call();
      if (!res.errors?.length) return res.data;
      last = JSON.stringify(res.errors).slice(0, 300);
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: ${last}`);
    await sleep(500);
  }
}

/** Polls `check` until truthy, up to `ms`; returns false (noted) instead of throwing. */
async function until(check, what, notes, ms = STEP_WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // a fault in progress
    }
    if (Date.now() > deadline) {
      notes.push(`timed out: ${what}`);
      return false;
    }
    await sleep(500);
  }
}

const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($job: ID!, $stake: Decimal) { applyToJob(jobId: $job, coverLetter: "Ready to start", proposedRate: { amount: "80", currency: "USD" }, stake: $stake) { id status } }`;
const MY_APPS = `{ myApplications { id status } }`;
const jobInput = (title) => ({
  title,
  description: 'Build and run a payments API with NestJS and PostgreSQL.',
  skills: ['typescript', 'postgresql'],
  minYearsExperience: 2,
  countries: [],
  budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 30,
  durationWeeks: 12,
});

async function main() {
  const broker = await T.startKafkaBroker();
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  log(`broker ${process.env.KAFKA_BROKERS}; starting the stack (${ALL.join(', ')})`);
  // Ctrl-C: stop what was started (services, databases, broker) before leaving; during the
  // stack's start, once it has started (startStack cleans up after itself only on failure).
  let stack = null;
  let interrupted = false;
  const abort = async () => {
    interrupted = true;
    log('interrupted: stopping the stack');
    if (!stack) return;
    await stack.stop().catch(() => undefined);
    await broker.stop();
    process.exit(130);
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // Approvals whose answer a fault swallowed are swept within seconds, not minutes.
  stack = await T.startStack({ services: SERVICES, env: { payments: { APPROVAL_SWEEP_INTERVAL_MS: '1000', APPROVAL_SWEEP_AFTER_MS: '5000' } } });
  if (interrupted) await abort();
  let exitCode = 1;
  try {
    const observerPids = {};
    for (const svc of ALL) observerPids[svc] = (await stack.services[svc].sql('SELECT pg_backend_pid() AS pid'))[0].pid;
    const ctx = { stack, broker, observerPids, subscriptions: null, baseline: null, seenDoubles: null };
    ctx.seenDoubles = await doubles(stack);
    const rows = [];
    const plan = [['none', null], ...faults(PROFILE).filter(([name]) => !ONLY || name.startsWith(ONLY))];
    log(`profile ${PROFILE}: ${plan.length} rounds (the first is the fault-free baseline)`);
    for (const [fault, step] of plan) {
      const started = Date.now();
      log(`round: ${fault}${step ? ` after ${step}` : ''}`);
      const row = await round(ctx, fault, step).catch((error) => ({ fault, step, error: error.message }));
      row.seconds = Math.round((Date.now() - started) / 1000);
      rows.push(row);
      log(
        `  -> ${JSON.stringify({ ...row, notes: undefined, publishedBy: undefined, appliedBy: undefined })}${row.notes?.length ? `\n     notes: ${row.notes.join('; ')}` : ''}`,
      );
    }
    exitCode = report(rows);
  } finally {
    await stack.stop().catch(() => undefined);
    await broker.stop();
  }
  process.exit(exitCode);
}

async function round(ctx, fault, faultStep) {
  const { stack } = ctx;
  const notes = [];
  // Signed in again each round: access tokens expire (10 min in a stack).
  const admin = await T.signInAdmin(stack);
  const since = new Date(Date.now() - 1000);
  const supplyBefore = await supply(stack);

  // Personas of this round, all members (the membership events are part of the round's count).
  const inspector = await T.createInspector(stack, admin);
  await T.makeMember(stack, inspector, admin);
  const talent = await T.registerPersona(stack, ['TALENT'], 'Chaos Talent');
  const client = await T.registerPersona(stack, ['CLIENT'], 'Chaos Client');
  const connector = await T.registerPersona(stack, ['CONNECTOR'], 'Chaos Connector');
  for (const p of [talent, client, connector]) await T.makeMember(stack, p, inspector);
  await until(
    async () => (await stack.services.rewards.sql('SELECT count(*)::int AS n FROM members WHERE user_id = ANY($1)', [[inspector.id, talent.id]]))[0].n === 2,
    'rewards knows the members',
    notes,
  );

  // Outages (database, broker) last CHAOS_OUTAGE_MS while the next steps go on (their calls retried
  // by `eventually`); a killed service is restarted before the scenario goes on.
  let outage = Promise.resolve();
  const inject = async (step) => {
    if (step !== faultStep) return;
    if (fault.startsWith('pg-outage') || fault === 'broker-pause')
      outage = injectFault(ctx, fault, notes).catch((error) => notes.push(`fault failed: ${error.message}`));
    else await injectFault(ctx, fault, notes);
  };

  // screen: TalentScreened -> rewards pays the inspector 25.
  await eventually(() => inspector.api.request(`mutation ($id: ID!) { screenTalent(userId: $id, decision: APPROVE) { id } }`, { id: talent.id }), 'screen');
  await inject('screen');
  await until(async () => Number((await wallet(stack, inspector.id)).available) >= 25, 'inspector rewarded for screening', notes);

  // stake: two staked applications -> StakeLocked -> SUBMITTED.
  const jobOf = async (title) => (await eventually(() => client.api.request(POST_JOB, { input: jobInput(title) }), 'post job')).postJob.id;
  const slashJob = await jobOf('Ledger service');
  const releaseJob = await jobOf('Webhooks relay');
  const mainJob = await jobOf('Payments API');
  const slashed = (await eventually(() => inspector.api.request(APPLY, { job: slashJob, stake: '10' }), 'apply with stake')).applyToJob;
  const released = (await eventually(() => inspector.api.request(APPLY, { job: releaseJob, stake: '5' }), 'apply with stake')).applyToJob;
  await inject('stake');
  await until(
    async () => {
      const apps = (await inspector.api.data(MY_APPS)).myApplications;
      return [slashed.id, released.id].every((id) => apps.find((a) => a.id === id)?.status === 'SUBMITTED');
    },
    'stakes locked (applications SUBMITTED)',
    notes,
  );

  // settle-stakes: a no-show slashes one stake, closing the other job releases the other.
  await eventually(
    () => client.api.request(`mutation ($id: ID!) { recordInterview(applicationId: $id, outcome: NO_SHOW) { status } }`, { id: slashed.id }),
    'no-show',
  );
  await eventually(() => client.api.request(`mutation ($id: ID!) { closeJob(id: $id) { status } }`, { id: releaseJob }), 'close job');
  await inject('settle-stakes');

  // hire: the connector refers the talent, the client hires -> ContractStarted -> ReferralQualified.
  await eventually(
    () =>
      connector.api.request(`mutation ($job: ID!, $talent: ID!) { referTalentToJob(jobId: $job, talentId: $talent, note: "Strong fit") { id } }`, {
        job: mainJob,
        talent: talent.id,
      }),
    'refer',
  );
  const application = (await eventually(() => talent.api.request(APPLY, { job: mainJob, stake: null }), 'apply')).applyToJob;
  const contractId = (await eventually(() => client.api.request(`mutation ($id: ID!) { hire(applicationId: $id) { id } }`, { id: application.id }), 'hire'))
    .hire.id;
  await inject('hire');

  // invoice: 10 hours at 80 USD paid -> InvoicePaid -> the connector earns 0.05 x 800 = 40.
  const invoiceId = (
    await eventually(
      () => talent.api.request(`mutation ($c: ID!) { submitInvoice(input: { contractId: $c, description: "Week 1", hours: 10 }) { id } }`, { c: contractId }),
      'submit invoice',
    )
  ).submitInvoice.id;
  // Answered APPROVED; the payment provider confirms it by webhook a moment later (PAID). The same key
  // on every try: a retry after a fault never charges twice.
  await eventually(async () => ({ paid: await T.approveAndSettle(client.api, invoiceId, `pay-${invoiceId}`, 60_000) }), 'pay invoice');
  await inject('invoice');

  await outage;
  await settle(ctx, notes);
  const counts = await countEvents(ctx, since);
  const balances = {
    inspector: await wallet(stack, inspector.id),
    talent: await wallet(stack, talent.id),
    client: await wallet(stack, client.id),
    connector: await wallet(stack, connector.id),
  };
  const supplyAfter = await supply(stack);
  const movement = {
    ...Object.fromEntries(Object.entries(balances).map(([k, w]) => [k, `${w.available}/${w.locked}`])),
    treasury: String(Number(supplyAfter.treasuryBalance) - Number(supplyBefore.treasuryBalance)),
    pool: String(Number(supplyAfter.communityPoolRemaining) - Number(supplyBefore.communityPoolRemaining)),
  };
  const postingsSum = (await stack.services.rewards.sql('SELECT COALESCE(sum(amount), 0)::text AS s FROM ledger_postings'))[0].s;
  const totalOk = Number(supplyAfter.communityPoolRemaining) + Number(supplyAfter.distributedRewards) === 135_000_000;
  if (!ctx.baseline) ctx.baseline = movement;
  const sameAsBaseline = JSON.stringify(movement) === JSON.stringify(ctx.baseline);
  if (!sameAsBaseline) notes.push(`balances ${JSON.stringify(movement)} != baseline ${JSON.stringify(ctx.baseline)}`);
  const now = await doubles(stack);
  const doubled = Object.keys(now).reduce((n, k) => n + Math.max(0, now[k] - (ctx.seenDoubles[k] ?? 0)), 0);
  ctx.seenDoubles = now;
  return {
    fault,
    step: faultStep,
    ...counts,
    doubled,
    balanced: Number(postingsSum) === 0 && totalOk && sameAsBaseline,
    notes,
  };
}

async function injectFault(ctx, fault, notes) {
  const { stack, broker, observerPids } = ctx;
  const [kind, svc] = fault.split(':');
  if (kind === 'pg-outage') {
    const service = stack.services[svc];
    const { terminated } = await T.databaseOutage(service.db.name, OUTAGE_MS, { keepPids: [observerPids[svc]] });
    notes.push(`${svc} database unavailable ${OUTAGE_MS / 1000}s (${terminated} sessions cut)`);
  } else if (kind === 'kill') {
    await stack.services[svc].process.stop('SIGKILL');
    await stack.services[svc].restart();
    notes.push(`${svc} SIGKILLed and restarted`);
  } else if (kind === 'redis-kill') {
    const pids = [...ALL.map((s) => stack.services[s].process.pid), stack.gateway.pid];
    const killed = await T.killRedisClients(pids);
    notes.push(`${killed} Redis connections killed`);
  } else if (kind === 'broker-pause') {
    if (!broker.pid) throw new Error('broker-pause needs the local kcat broker (KAFKA_BROKERS must not be set)');
    process.kill(broker.pid, 'SIGSTOP');
    await sleep(OUTAGE_MS);
    process.kill(broker.pid, 'SIGCONT');
    notes.push(`broker paused ${OUTAGE_MS / 1000}s`);
  } else if (kind !== 'none') {
    throw new Error(`unknown fault ${fault}`);
  }
}

/** Waits until every outbox is drained and every consumer group has consumed every topic (bounded). */
async function settle(ctx, notes) {
  const { stack } = ctx;
  const deadline = Date.now() + SETTLE_MS;
  const drained = await until(
    async () => {
      for (const svc of ALL) {
        if ((await stack.services[svc].sql('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n > 0) return false;
      }
      return true;
    },
    'outboxes drained',
    notes,
    SETTLE_MS,
  );
  if (!drained) return;
  // Every consumer group has committed up to the end of every topic it consumes (a topic it never
  // committed on is one it does not subscribe to).
  const topics = TOPICS.map((t) => stack.topic(t));
  const kafka = new Kafka({ clientId: 'chaos-lag', brokers: process.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    let behind = '';
    const lagging = await until(
      async () => {
        const ends = new Map();
        for (const topic of topics) ends.set(topic, await admin.fetchTopicOffsets(topic).catch(() => []));
        for (const svc of ALL) {
          for (const { topic, partitions } of await admin.fetchOffsets({ groupId: stack.services[svc].groupId, topics })) {
            if (partitions.every((p) => Number(p.offset) < 0)) continue;
            for (const p of partitions) {
              const end = ends.get(topic).find((e) => e.partition === p.partition);
              if (end && Number(end.high) > 0 && Number(p.offset) < Number(end.high)) {
                behind = `${svc} on ${topic.slice(stack.topicPrefix.length)}[${p.partition}] at ${p.offset} of ${end.high}`;
                return false;
              }
            }
          }
        }
        return true;
      },
      'every consumer group caught up',
      notes,
      Math.max(1000, deadline - Date.now()),
    );
    if (!lagging) {
      notes.push(`still behind: ${behind}`);
      return;
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  await sleep(1000);
}

async function countEvents(ctx, since) {
  const { stack } = ctx;
  const events = [];
  let stuck = 0;
  const publishedBy = {};
  const appliedBy = {};
  for (const svc of ALL) {
    const rows = await stack.services[svc].sql('SELECT id::text, type, published_at IS NOT NULL AS published FROM outbox WHERE created_at >= $1', [since]);
    for (const r of rows) {
      if (r.published) events.push({ id: r.id, type: r.type });
      else stuck++;
    }
    publishedBy[svc] = rows.filter((r) => r.published).length;
  }
  const ids = events.map((e) => e.id);
  const inboxes = {};
  for (const svc of ALL) {
    inboxes[svc] = new Set((await stack.services[svc].sql('SELECT event_id::text AS id FROM inbox WHERE event_id = ANY($1::uuid[])', [ids])).map((r) => r.id));
  }
  if (!ctx.subscriptions) {
    // The baseline (fault-free) round tells which consumer applies which event type.
    ctx.subscriptions = new Set();
    for (const e of events) for (const svc of ALL) if (inboxes[svc].has(e.id)) ctx.subscriptions.add(`${svc}:${e.type}`);
  }
  let applied = 0;
  let lost = 0;
  const lostTypes = {};
  for (const e of events) {
    for (const svc of ALL) {
      if (!ctx.subscriptions.has(`${svc}:${e.type}`)) continue;
      if (inboxes[svc].has(e.id)) {
        applied++;
        appliedBy[svc] = (appliedBy[svc] ?? 0) + 1;
      } else {
        lost++;
        lostTypes[`${e.type}->${svc}`] = (lostTypes[`${e.type}->${svc}`] ?? 0) + 1;
      }
    }
  }
  return { published: events.length, applied, lost: lost + stuck, stuck, publishedBy, appliedBy, ...(lost ? { lostTypes } : {}) };
}

/** Counts of ledger effects present more than once (cumulative; a round reports its increase). */
async function doubles(stack) {
  const sql = stack.services.rewards.sql;
  const [tx] = await sql(`
    SELECT COALESCE(sum(n - 1), 0)::int AS n FROM (
      SELECT count(*) AS n FROM (
        SELECT t.kind, t.reason, t.reference, string_agg(p.account_id::text || ':' || p.amount::text, ',' ORDER BY p.account_id, p.amount) AS legs
        FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id GROUP BY t.id
      ) x GROUP BY kind, reason, reference, legs HAVING count(*) > 1) d`);
  const [locks] = await sql(`
    SELECT COALESCE(sum(n - 1), 0)::int AS n FROM (
      SELECT count(*) AS n FROM ledger_transactions WHERE kind = 'STAKE_LOCK' GROUP BY reference HAVING count(*) > 1) d`);
  const [grants] = await sql(`
    SELECT COALESCE(sum(n - 1), 0)::int AS n FROM (
      SELECT count(*) AS n FROM reward_grants WHERE status = 'PAID' GROUP BY policy_key, reference, beneficiary_id HAVING count(*) > 1) d`);
  const [apps] = await stack.services.jobs.sql(`
    SELECT COALESCE(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM applications GROUP BY job_id, talent_id HAVING count(*) > 1) d`);
  return { ledger: tx.n, stakeLocks: locks.n, grants: grants.n, applications: apps.n };
}

async function wallet(stack, userId) {
  const rows = await stack.services.rewards.sql(
    `SELECT a.kind, COALESCE((SELECT balance_after FROM ledger_postings p WHERE p.account_id = a.id ORDER BY account_seq DESC LIMIT 1), 0)::float8 AS balance
     FROM ledger_accounts a WHERE a.owner_id = $1`,
    [userId],
  );
  const of = (kind) => rows.find((r) => r.kind === kind)?.balance ?? 0;
  return { available: of('USER_AVAILABLE'), locked: of('USER_LOCKED') };
}

async function supply(stack) {
  return (await stack.api.data(`{ tokenSupply { communityPoolRemaining treasuryBalance distributedRewards } }`)).tokenSupply;
}

function report(rows) {
  const header = ['fault', 'after step', 'published', 'applied', 'lost', 'doubled', 'balanced', 'time'];
  const lines = rows.map((r) =>
    r.error
      ? [r.fault, r.step ?? '-', '-', '-', '-', '-', 'ERROR', `${r.seconds}s`]
      : [
          r.fault === 'none' ? 'none (baseline)' : r.fault,
          r.step ?? '-',
          r.published,
          r.applied,
          r.lost,
          r.doubled,
          r.balanced ? 'yes' : 'NO',
          `${r.seconds}s`,
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  const by = (m) =>
    Object.entries(m ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log(`\nper service (baseline): published ${by(rows[0]?.publishedBy)}; applied ${by(rows[0]?.appliedBy)}`);
  let failed = 0;
  for (const r of rows) {
    if (r.error) console.log(`\n${r.fault}: ERROR ${r.error}`);
    else if (r.lost || r.doubled || !r.balanced) {
      failed++;
      console.log(
        `\n${r.fault} after ${r.step}: ${r.lostTypes ? `lost ${JSON.stringify(r.lostTypes)}; ` : ''}${r.stuck ? `${r.stuck} never published; ` : ''}${r.notes.join('; ')}`,
      );
    }
  }
  const errors = rows.filter((r) => r.error).length;
  console.log(`\n${rows.length} rounds: ${rows.length - failed - errors} clean, ${failed} with losses, doubles or unbalanced ledger, ${errors} errors`);
  return failed || errors ? 1 : 0;
}

main().catch((error) => {
  console.error(`[chaos] ${error.stack ?? error.message}`);
  process.exit(1);
});

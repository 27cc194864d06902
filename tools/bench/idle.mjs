// `npm run bench:idle`: what an idle stack costs. Two whole stacks (the eight services and the gateway,
// fresh databases, each on a local broker of its own) run side by side: one as before issue 13
// (consumers fetch every 100 ms, relays poll the outbox every 500 ms, kafkajs' idle timers as released),
// one with today's defaults as `npm run dev` runs them. Once both are ready and settled, the CPU each
// process uses over the same idle window is read from /proc (services, gateway, kcat broker, and the
// PostgreSQL backends serving each stack's databases) and printed per process as % of the machine's
// cores, with the ratio tuned/before. Side by side, the machine's other load weighs on both alike.
//
//   IDLE_SETTLE_S (60)  seconds between ready and the window (start-up work dies down)
//   IDLE_WINDOW_S (60)  the window
//   --tuned-only        one stack, today's defaults
//
// Redis serves every stack on the machine and cannot be split per client: its whole-server CPU is
// printed apart, not in the totals.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SUBGRAPH_SERVICES } from '../services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SETTLE_S = Number(process.env.IDLE_SETTLE_S ?? 60);
const WINDOW_S = Number(process.env.IDLE_WINDOW_S ?? 60);
const SAMPLE_MS = 2_000;
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const CORES = cpus().length;
const ADMIN_URL = process.env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Before issue 13: what each service ran with (the knobs are still there, so that this stays measurable).
 * Not kafkajs' own idle timers: their fix is now a patch applied at install (patches/kafkajs+2.2.4.patch),
 * so both stacks run with it and "before" reads lower than the 18.6% measured before the fix.
 */
const BEFORE = { KAFKA_CONSUMER_MAX_WAIT_MS: '100', OUTBOX_POLL_INTERVAL_MS: '500' };

const { startKafkaBroker, startStack } = await import(path.join(root, 'libs/testing/dist/index.js'));
const { BaseConfigSchema } = await import(path.join(root, 'libs/platform/dist/config/config.js'));
/**
 * Today's defaults, as `npm run dev` runs them: the config's defaults and what the local broker asks
 * for (its short consumer wait). Set explicitly, since the test stack shortens them for its e2e tests.
 */
const tunedEnv = (broker) => ({
  ...Object.fromEntries(Object.keys(BEFORE).map((name) => [name, String(BaseConfigSchema.shape[name].parse(undefined))])),
  ...broker.serviceEnv,
});

const stacks = [];
let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const { starting, broker } of stacks) {
    // A stack still starting (Ctrl-C meanwhile) is stopped once up: its processes would outlive this script.
    const stack = await starting?.catch(() => undefined);
    await stack?.stop().catch((error) => console.error(`stopping a stack: ${error.message}`));
    await broker?.stop().catch(() => undefined);
  }
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

/** User + system CPU seconds of a process so far; undefined once it is gone. */
function cpuSeconds(pid) {
  try {
    // Fields after the parenthesised name: state is [0], utime [11], stime [12].
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** A broker of the stack's own, so that the broker's CPU is that stack's alone. */
async function startBroker(label, envOf) {
  const entry = { label, envOf, stack: undefined, starting: undefined, broker: undefined };
  stacks.push(entry);
  delete process.env.KAFKA_BROKERS;
  entry.broker = await startKafkaBroker();
  return entry;
}

/** The stack on its broker, its services run with `envOf(broker)`. */
async function startStackOf(entry) {
  const env = entry.envOf(entry.broker);
  const services = SUBGRAPH_SERVICES.map((s) => s.name);
  const quiet = { LOG_LEVEL: 'warn', NODE_ENV: 'production', DATABASE_POOL_SIZE: '10', ...env };
  const started = performance.now();
  process.env.KAFKA_BROKERS = entry.broker.brokers.join(','); // read by startStack before its first await
  entry.starting = startStack({
    services,
    env: {
      ...Object.fromEntries(services.map((name) => [name, quiet])),
      identity: { ...quiet, ACCESS_TOKEN_TTL_SECONDS: '3600' },
      gateway: { LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    },
  });
  entry.stack = await entry.starting;
  console.error(
    `  ${entry.label} (${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}): ${services.length} services and the gateway ready in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

/** The processes of a stack to watch: name -> pid (backends are found at each sample, they come and go). */
function processesOf({ stack, broker }) {
  return {
    ...Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.process.pid])),
    gateway: stack.gateway.pid,
    'kcat broker': broker.pid,
  };
}

async function backendPids(admin, databases) {
  const { rows } = await admin.query('SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)', [databases]);
  return rows;
}

/** CPU seconds used over the window by each process of each stack, and by the PostgreSQL backends of its databases. */
async function measure(entries) {
  const admin = new pg.Client({ connectionString: ADMIN_URL, application_name: 'bench-idle' });
  await admin.connect();
  const watch = entries.map((entry) => {
    const dbOwner = Object.fromEntries(Object.entries(entry.stack.services).map(([name, s]) => [s.db.name, name]));
    return { entry, procs: processesOf(entry), dbOwner, first: new Map(), last: new Map(), backendFirst: new Map(), backendLast: new Map() };
  });
  const redisPid = findRedisPid();
  const redisStart = redisPid && cpuSeconds(redisPid);
  const sample = async (initial) => {
    for (const w of watch) {
      for (const [name, pid] of Object.entries(w.procs)) {
        const s = cpuSeconds(pid);
        if (s === undefined) continue;
        if (initial) w.first.set(name, s);
        w.last.set(name, s);
      }
      for (const { pid, datname } of await backendPids(admin, Object.keys(w.dbOwner))) {
        const s = cpuSeconds(pid);
        if (s === undefined) continue;
        const key = `${pid}`;
        // A backend born during the window counts from zero: all its CPU falls in the window.
        if (!w.backendFirst.has(key)) w.backendFirst.set(key, { owner: w.dbOwner[datname], s: initial ? s : 0 });
        w.backendLast.set(key, s);
      }
    }
  };
  const started = performance.now();
  await sample(true);
  while (performance.now() - started < WINDOW_S * 1000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    await sample(false);
  }
  const seconds = (performance.now() - started) / 1000;
  const redisEnd = redisPid && cpuSeconds(redisPid);
  await admin.end();
  return {
    seconds,
    redis: redisStart !== undefined && redisEnd !== undefined ? redisEnd - redisStart : undefined,
    perStack: watch.map((w) => {
      const used = new Map();
      for (const [name, s] of w.last) used.set(name, s - (w.first.get(name) ?? s));
      let backends = 0;
      for (const [key, { s }] of w.backendFirst) backends += (w.backendLast.get(key) ?? s) - s;
      used.set('postgres backends', backends);
      return { label: w.entry.label, used };
    }),
  };
}

function findRedisPid() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'redis-server') return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const pct = (cpuS, seconds) => (100 * cpuS) / (seconds * CORES);

try {
  const tunedOnly = process.argv.includes('--tuned-only');
  console.error(`starting ${tunedOnly ? 'one stack' : 'two stacks side by side'}`);
  const entries = [];
  if (!tunedOnly) entries.push(await startBroker('before', () => BEFORE));
  entries.push(await startBroker('tuned', tunedEnv));
  // Started together, so that both are as old when measured: a young process still settles (JIT, GC).
  await Promise.all(entries.map(startStackOf));
  console.error(`settling ${SETTLE_S} s, then measuring ${WINDOW_S} s of idle`);
  await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
  const { seconds, perStack, redis } = await measure(entries);

  const names = [...perStack[0].used.keys()];
  const header = ['process', ...perStack.map((s) => `${s.label} %`)];
  const rows = names.map((name) => [name, ...perStack.map((s) => pct(s.used.get(name) ?? 0, seconds).toFixed(2))]);
  const totals = perStack.map((s) => [...s.used.values()].reduce((a, b) => a + b, 0));
  rows.push(['total', ...totals.map((t) => pct(t, seconds).toFixed(2))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\nCPU over ${seconds.toFixed(0)} idle seconds, % of the machine's ${CORES} cores`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (redis !== undefined) console.log(`(redis-server, shared by everything on this machine, not in the totals: ${pct(redis, seconds).toFixed(2)}%)`);
  console.log('');
  const tuned = perStack.find((s) => s.label === 'tuned');
  const before = perStack.find((s) => s.label === 'before');
  const total = (s) =>
    pct(
      [...s.used.values()].reduce((a, b) => a + b, 0),
      seconds,
    );
  if (before) console.log(`idle CPU before: ${total(before).toFixed(2)}% of ${CORES} cores`);
  console.log(`idle CPU: ${total(tuned).toFixed(2)}% of ${CORES} cores`);
  if (before) console.log(`idle CPU tuned/before: ${(total(tuned) / total(before)).toFixed(3)}`);
} finally {
  await stopAll();
}

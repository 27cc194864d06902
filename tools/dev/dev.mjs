// `npm run dev`: the whole stack on this machine, with demo data.
// Checks PostgreSQL and Redis, starts a Kafka-protocol broker (kcat mock cluster) unless
// KAFKA_BROKERS is set, builds, creates the databases, starts every service (each runs its
// migrations) and then the gateway, seeds demo data, and stops everything on Ctrl-C.
// A service that dies is restarted, like a process supervisor: after 1 s, then 2, 4 ... up to 30 s
// when it keeps dying; the delay resets once it has stayed up DEV_RESTART_STABLE_MS (30 s).
// Every child (services, kcat) runs in its own process group, so a terminal's Ctrl-C reaches only
// this script, which stops the gateway, then the services, then the broker last.
import { spawn, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { GATEWAY, SUBGRAPH_SERVICES } from '../services.mjs';
import { formatLine, prefix } from './log-format.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const env = process.env;
const ADMIN_URL = env.POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_EMAIL = env.ADMIN_EMAIL || 'admin@talent.local';
const ADMIN_PASSWORD = env.ADMIN_PASSWORD || 'admin-password-dev';
const RAW_LOGS = env.DEV_LOG_FORMAT === 'json';
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const RESTART_STABLE_MS = Number(env.DEV_RESTART_STABLE_MS ?? 30_000);

const say = (msg) => console.log(`${prefix('dev')} ${msg}`);
const children = [];
let broker = null;
let stopping = false;

async function main() {
  await checkPostgres();
  await checkRedis();
  if (!args.has('--no-build')) {
    say('building (tsc -b)...');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const { startKafkaBroker, ensureDatabase, databaseUrl, startWebhookReceiver } = await import(path.join(root, 'libs/testing/dist/index.js'));
  broker = await startKafkaBroker({ detached: true });
  const brokers = broker.brokers.join(',');
  say(broker.started ? `Kafka-protocol broker (kcat mock cluster) at ${brokers}` : `Kafka at ${brokers} (KAFKA_BROKERS)`);

  const secrets = devSecrets();
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    REDIS_URL,
    KAFKA_BROKERS: brokers,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // The local mock broker's short consumer wait (see KafkaBroker.serviceEnv); nothing for a real Kafka.
    ...broker.serviceEnv,
    JWKS_URL: `http://127.0.0.1:${SUBGRAPH_SERVICES[0].port}/.well-known/jwks.json`,
    // The gateway signs every subgraph request with it; subgraphs refuse unsigned ones, as in production.
    GATEWAY_SECRET: secrets.GATEWAY_SECRET,
  };
  for (const service of SUBGRAPH_SERVICES) {
    await ensureDatabase(service.database, ADMIN_URL);
    start(
      service.name,
      `apps/${service.name}/dist/main.js`,
      {
        ...common,
        SERVICE_NAME: service.name,
        PORT: String(service.port),
        DATABASE_URL: databaseUrl(ADMIN_URL, service.database),
        ...(service.name === 'identity'
          ? {
              JWT_PRIVATE_KEY: secrets.JWT_PRIVATE_KEY,
              KYC_ENCRYPTION_KEY: secrets.KYC_ENCRYPTION_KEY,
              KYC_FINGERPRINT_KEY: secrets.KYC_FINGERPRINT_KEY,
              ADMIN_EMAIL,
              ADMIN_PASSWORD,
              // The seed registers every demo user from this one address, and may run again within the hour.
              REGISTER_MAX_PER_IP: '1000',
            }
          : {}),
        // Documented demo rates (USD per unit) for paid invoices in other currencies; production sets its own.
        ...(service.name === 'payments'
          ? {
              USD_RATES: env.USD_RATES ?? 'EUR=1.08,GBP=1.27,JPY=0.0067',
              // The local payment provider signs its confirmations (webhooks) with it; a real provider gives you one.
              PAYMENT_WEBHOOK_SECRET: secrets.PAYMENT_WEBHOOK_SECRET,
              APPROVAL_SWEEP_INTERVAL_MS: env.APPROVAL_SWEEP_INTERVAL_MS ?? '15000',
              APPROVAL_SWEEP_AFTER_MS: env.APPROVAL_SWEEP_AFTER_MS ?? '30000',
              FEE_CONVERSION_INTERVAL_MS: env.FEE_CONVERSION_INTERVAL_MS ?? '30000',
            }
          : {}),
        // Governance in seconds, so a proposal can be created, voted, queued and executed in a demo; a quorum and a
        // proposal threshold that three or four seeded members (10-100 BTRST of rewards each) reach. These only seed
        // the governed parameters of a fresh database; production defaults (days, 4% quorum) are in config.ts and k8s.
        ...(service.name === 'governance'
          ? {
              GOVERNANCE_VOTING_DELAY_SECONDS: env.GOVERNANCE_VOTING_DELAY_SECONDS ?? '5',
              GOVERNANCE_VOTING_PERIOD_SECONDS: env.GOVERNANCE_VOTING_PERIOD_SECONDS ?? '20',
              GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: env.GOVERNANCE_MIN_VOTING_PERIOD_SECONDS ?? '10',
              GOVERNANCE_TIMELOCK_SECONDS: env.GOVERNANCE_TIMELOCK_SECONDS ?? '10',
              GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: env.GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS ?? '10',
              GOVERNANCE_GRACE_PERIOD_SECONDS: env.GOVERNANCE_GRACE_PERIOD_SECONDS ?? '3600',
              GOVERNANCE_QUORUM_FRACTION: env.GOVERNANCE_QUORUM_FRACTION ?? '0.2',
              GOVERNANCE_PROPOSAL_THRESHOLD: env.GOVERNANCE_PROPOSAL_THRESHOLD ?? '10',
              GOVERNANCE_JURY_SIZE: env.GOVERNANCE_JURY_SIZE ?? '3',
              GOVERNANCE_JURY_VOTING_PERIOD_SECONDS: env.GOVERNANCE_JURY_VOTING_PERIOD_SECONDS ?? '60',
            }
          : {}),
        // Partner nodes' signing secrets are encrypted with it; a local receiver (http://localhost) may be registered.
        ...(service.name === 'partners'
          ? { PARTNER_SECRET_KEY: secrets.PARTNER_SECRET_KEY, PARTNER_WEBHOOK_ALLOW_PRIVATE: 'true', PARTNER_DELIVERY_SWEEP_INTERVAL_MS: '15000' }
          : {}),
      },
      service.port,
    );
    await waitReady(service.name, service.port);
  }
  const subgraphUrls = Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${s.port}/graphql`]));
  start(
    'gateway',
    'apps/gateway/dist/main.js',
    {
      ...common,
      SERVICE_NAME: 'gateway',
      PORT: String(GATEWAY.port),
      ...subgraphUrls,
      // The landing page's explorer needs the schema; off by default everywhere else.
      GRAPHQL_INTROSPECTION: env.GRAPHQL_INTROSPECTION ?? 'true',
    },
    GATEWAY.port,
  );
  await waitReady('gateway', GATEWAY.port);

  const gatewayUrl = `http://localhost:${GATEWAY.port}/graphql`;
  const partner = await startDemoPartnerReceiver(startWebhookReceiver);
  if (!args.has('--no-seed')) {
    // A failed seed leaves the stack running: the reason is printed above.
    await run('seed', ['tools/seed/seed.mjs'], {
      ...env,
      GATEWAY_URL: gatewayUrl,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      DEMO_PARTNER_WEBHOOK_URL: partner.url,
      DEMO_PARTNER_SECRET_FILE: partner.secretFile,
    }).catch((error) => say(`${error.message}; the stack keeps running without demo data`));
  }
  say(`ready: GraphQL at ${gatewayUrl} (landing page in a browser)`);
  say(`admin: ${ADMIN_EMAIL} / ${env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : ADMIN_PASSWORD}; demo users: see README "Demo data"`);
  say('Ctrl-C stops everything');
}

async function checkPostgres() {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${error.message}).\n` +
        `  Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n` +
        `  or point POSTGRES_ADMIN_URL at a server where this user may create databases.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis() {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(
      `Redis is not reachable at ${REDIS_URL} (${error.message}).\n` +
        `  Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
        `  or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Signing, encryption and fingerprint keys and the gateway secret for local runs, kept in .dev/ (git-ignored) so restarts
 * keep sessions and KYC data readable and members' document fingerprints comparable. A key missing
 * from an older file is added to it, leaving the others as they are.
 */
function devSecrets() {
  const file = path.join(root, '.dev/secrets.json');
  const existing = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = {
    JWT_PRIVATE_KEY: existing.JWT_PRIVATE_KEY ?? generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    KYC_ENCRYPTION_KEY: existing.KYC_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    KYC_FINGERPRINT_KEY: existing.KYC_FINGERPRINT_KEY ?? randomBytes(32).toString('base64'),
    GATEWAY_SECRET: existing.GATEWAY_SECRET ?? randomBytes(32).toString('base64'),
    PAYMENT_WEBHOOK_SECRET: existing.PAYMENT_WEBHOOK_SECRET ?? `whsec_${randomBytes(32).toString('base64')}`,
    PARTNER_SECRET_KEY: existing.PARTNER_SECRET_KEY ?? randomBytes(32).toString('base64'),
  };
  const added = Object.keys(secrets).filter((k) => existing[k] === undefined);
  if (added.length > 0) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...existing, ...secrets }, null, 2), { mode: 0o600 });
    say(`generated development keys in .dev/secrets.json (${added.join(', ')})`);
  }
  return secrets;
}

/**
 * A partner node's webhook receiver, as a partner would run one: it verifies each delivery with
 * the node's signing secret (written by the seed, which registers the node) and prints a line.
 */
async function startDemoPartnerReceiver(startWebhookReceiver) {
  const secretFile = path.join(root, '.dev/partner-demo.json');
  const { Webhook } = await import('standardwebhooks');
  const receiver = await startWebhookReceiver({
    port: Number(env.DEV_PARTNER_RECEIVER_PORT ?? 4090),
    onDelivery: ({ headers, body }) => {
      let verdict = 'no secret yet';
      if (existsSync(secretFile)) {
        try {
          new Webhook(JSON.parse(readFileSync(secretFile, 'utf8')).signingSecret).verify(body, headers);
          verdict = 'signature ok';
        } catch {
          verdict = 'SIGNATURE INVALID';
        }
      }
      let type = '?';
      try {
        type = JSON.parse(body).type;
      } catch {
        // not JSON: reported as '?'
      }
      console.log(`${prefix('partner')} webhook ${type} ${headers['webhook-id']} (${verdict})`);
    },
  });
  return { url: receiver.url, secretFile };
}

function pipe(name, stream) {
  createInterface({ input: stream }).on('line', (line) => console.log(formatLine(name, line, { raw: RAW_LOGS })));
}

/** Starts a supervised child: restarted with exponential backoff when it exits while the stack is up. */
function start(name, entry, childEnv, port) {
  const entryState = { name, child: null, restarts: 0, failures: 0, timer: null };
  const launch = () => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [path.join(root, entry)], {
      cwd: root,
      // Node's compile cache: a restarted service (or the next `npm run dev`) skips compiling its modules again.
      env: { NODE_COMPILE_CACHE: path.join(tmpdir(), 'talent-node-compile-cache'), ...env, ...childEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in the terminal reaches this script only, which stops children in order.
      detached: true,
    });
    entryState.child = child;
    pipe(name, child.stdout);
    pipe(name, child.stderr);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const upMs = Date.now() - startedAt;
      // Stayed up long enough: the next crash starts the backoff again from the minimum.
      if (upMs >= RESTART_STABLE_MS) entryState.failures = 0;
      const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** entryState.failures);
      entryState.failures += 1;
      entryState.restarts += 1;
      say(`${name} exited (${signal ?? `code ${code}`}) after ${formatMs(upMs)}; restarting in ${formatMs(delay)} (restart #${entryState.restarts})`);
      entryState.timer = setTimeout(() => {
        entryState.timer = null;
        if (stopping) return;
        say(`restarting ${name}`);
        launch();
        if (port) void waitReady(name, port, 120_000, true).catch((error) => say(`${error.message}; still supervising`));
      }, delay);
    });
  };
  launch();
  children.push(entryState);
}

const formatMs = (ms) => (ms < 1000 ? `${ms}ms` : ms < 120_000 ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s` : `${Math.round(ms / 60_000)}min`);

function run(name, argv, childEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    pipe(name, child.stdout);
    pipe(name, child.stderr);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed with exit code ${code}`))));
  });
}

async function waitReady(name, port, timeoutMs = 90_000, restarted = false) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.ok) {
        say(restarted ? `${name} is back up on http://localhost:${port}` : `${name} ready on http://localhost:${port}`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} was not ready on port ${port} within ${timeoutMs / 1000}s`);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  // The gateway first, then the services in reverse start order; each waits for the previous one.
  for (const entry of [...children].reverse()) {
    if (entry.timer) clearTimeout(entry.timer);
    const child = entry.child;
    if (!child) continue;
    await new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
  // The broker last: the services flush their consumers and producers against it while stopping.
  await broker?.stop();
  say('stopped');
  process.exit(code);
}

function fail(message) {
  console.error(`${prefix('dev')} ${message}`);
  process.exit(1);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  console.error(`${prefix('dev')} ${error.message}`);
  void shutdown(1);
});

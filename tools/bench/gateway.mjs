// `npm run bench:gateway`: throughput and latency of one authenticated query
//   me { id displayName roles kycStatus isMember organizations { name } }
// through the gateway and sent straight to the identity subgraph, in one run, on the
// real stack (fresh database, Redis, Kafka-protocol broker). Prints req/s, p50 and p99
// for both and the gateway/direct throughput ratio.
// Env: BENCH_DURATION (seconds per target, default 10), BENCH_CONNECTIONS (default 16).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { startKafkaBroker, createTestDatabase, startServiceProcess, uniquePrefix, GraphQLClient } = await import(
  path.join(root, 'libs/testing/dist/index.js')
);
const { GATEWAY_SIGNATURE_HEADER, signGatewayRequest } = await import(path.join(root, 'libs/platform/dist/index.js'));
const GATEWAY_SECRET = (await import('node:crypto')).randomBytes(32).toString('base64');

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const QUERY = 'query Me { me { id displayName roles kycStatus isMember organizations { name } } }';

// A supergraph of identity alone: the gateway is ready (and plans) only for what runs here.
const supergraph = path.join(mkdtempSync(path.join(tmpdir(), 'bench-supergraph-')), 'supergraph.graphql');
execFileSync(process.execPath, [path.join(root, 'tools/supergraph/compose.mjs'), '--subgraphs', 'identity', '--out', supergraph, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });

const broker = await startKafkaBroker();
const db = await createTestDatabase('bench_identity');
const cleanup = [];
try {
  const identity = await startServiceProcess({
    name: 'identity',
    entry: 'apps/identity/dist/main.js',
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: broker.brokers.join(','),
      REDIS_PREFIX: uniquePrefix('bench'),
      JWT_PRIVATE_KEY: (await import('node:crypto')).generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      KYC_ENCRYPTION_KEY: (await import('node:crypto')).randomBytes(32).toString('base64'),
      KYC_FINGERPRINT_KEY: (await import('node:crypto')).randomBytes(32).toString('base64'),
      GATEWAY_SECRET,
    },
  });
  cleanup.push(identity);
  const gateway = await startServiceProcess({
    name: 'gateway',
    entry: 'apps/gateway/dist/main.js',
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWKS_URL: `${identity.url}/.well-known/jwks.json`,
      SUPERGRAPH_PATH: supergraph,
      SUBGRAPH_IDENTITY_URL: `${identity.url}/graphql`,
      GATEWAY_SECRET,
      REDIS_PREFIX: uniquePrefix('bench-gateway'),
      // One benchmark user sends everything: the per-client limit would measure itself.
      RATE_LIMIT_REQUESTS: '100000000',
    },
  });
  cleanup.push(gateway);

  const api = new GraphQLClient(`${gateway.url}/graphql`);
  const { register } = await api.data(
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
    { input: { email: 'bench@example.com', password: 'bench-password-1', displayName: 'Bench User', roles: ['CLIENT'] } },
  );
  const token = register.accessToken;
  for (const name of ['Acme Robotics', 'Globex Payments']) {
    await api.withToken(token).data(`mutation($n: String!) { createOrganization(name: $n) { id } }`, { n: name });
  }
  const check = await api.withToken(token).data(QUERY);
  if (check.me?.organizations?.length !== 2) throw new Error(`unexpected response: ${JSON.stringify(check)}`);

  const targets = [
    { label: 'gateway -> identity', url: `${gateway.url}/graphql` },
    // Signed per request as the gateway signs (identity answers nothing else), so the verification is in both figures.
    { label: 'identity (direct)', url: `${identity.url}/graphql`, signed: true },
  ];
  const results = [];
  for (const target of targets) {
    const options = {
      url: target.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY }),
      connections: CONNECTIONS,
      ...(target.signed
        ? { requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(GATEWAY_SECRET, req.body) } }) }] }
        : {}),
    };
    await autocannon({ ...options, duration: 2 }); // warm-up: JIT, JWKS cache, query plan cache
    const r = await autocannon({ ...options, duration: DURATION });
    if (r.non2xx || r.errors) throw new Error(`${target.label}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
    results.push({ target: target.label, 'req/s': Math.round(r.requests.average), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, requests: r.requests.total });
  }
  console.log(`\nme { ... organizations { name } } with ${CONNECTIONS} connections, ${DURATION}s each, NODE_ENV=production\n`);
  console.table(results);
  console.log(`gateway/direct throughput ratio: ${(results[0]['req/s'] / results[1]['req/s']).toFixed(2)}`);
} finally {
  for (const proc of cleanup.reverse()) await proc.stop();
  await db.drop();
  await broker.stop();
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  createTestDatabase,
  GraphQLClient,
  startServiceProcess,
  testRedisUrl,
  uniquePrefix,
  workspaceRoot,
  type ServiceProcess,
  type TestDatabase,
} from '@talent/testing';

/**
 * The gateway on the real stack: a fresh identity database, the built identity service
 * behind the built gateway, both as processes. (Apps do not import each other, so this
 * is the gateway's own small copy of identity's e2e stack helper.)
 */
export interface GatewayStack {
  db: TestDatabase;
  identity: ServiceProcess;
  gateway: ServiceProcess;
  /** Anonymous client of the gateway's /graphql. */
  api: GraphQLClient;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * A supergraph of the identity subgraph alone, composed from the current code: the gateway
 * then plans only for what runs, whatever other subgraphs the committed supergraph holds.
 */
async function composeIdentitySupergraph(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'identity-supergraph-')), 'supergraph.graphql');
  const script = path.join(workspaceRoot(), 'tools/supergraph/compose.mjs');
  await promisify(execFile)(process.execPath, [script, '--subgraphs', 'identity', '--out', file, '--quiet'], { cwd: workspaceRoot() });
  return file;
}

/**
 * `ServiceProcess.stop()` waits for an 'exit' event, and a process that already ended by a
 * signal has exitCode null, so a second stop would wait forever: stop each service once.
 */
function stopOnce(service: ServiceProcess): ServiceProcess {
  let stopping: Promise<number | null> | undefined;
  return { ...service, output: () => service.output(), stop: (signal) => (stopping ??= service.stop(signal)) };
}

export async function startGatewayStack(gatewayEnv: Record<string, string> = {}): Promise<GatewayStack> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the e2e jest project (its globalSetup starts a broker)');
  const supergraph = composeIdentitySupergraph();
  supergraph.catch(() => undefined); // awaited below; this only avoids an unhandled rejection meanwhile
  const db = await createTestDatabase('gateway_e2e');
  // Identity answers only requests the gateway signed with this, as in production.
  const gatewaySecret = randomBytes(32).toString('base64');
  const started: ServiceProcess[] = [];
  let client: Client | undefined;
  const stop = async () => {
    for (const p of [...started].reverse()) await p.stop().catch(() => undefined);
    await client?.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
    const file = await supergraph.catch(() => undefined);
    if (file) rmSync(path.dirname(file), { recursive: true, force: true });
  };
  try {
    const identity = stopOnce(
      await startServiceProcess({
        name: 'identity',
        entry: 'apps/identity/dist/main.js',
        env: {
          DATABASE_URL: db.url,
          DATABASE_POOL_SIZE: '5',
          KAFKA_BROKERS: brokers,
          REDIS_URL: testRedisUrl(),
          REDIS_PREFIX: uniquePrefix('gateway-e2e'),
          GATEWAY_SECRET: gatewaySecret,
        },
      }),
    );
    started.push(identity);
    const gateway = stopOnce(
      await startServiceProcess({
        name: 'gateway',
        entry: 'apps/gateway/dist/main.js',
        env: {
          SUPERGRAPH_PATH: await supergraph,
          JWKS_URL: `${identity.url}/.well-known/jwks.json`,
          SUBGRAPH_IDENTITY_URL: `${identity.url}/graphql`,
          GATEWAY_SECRET: gatewaySecret,
          REDIS_URL: testRedisUrl(),
          REDIS_PREFIX: uniquePrefix('gateway-e2e'),
          ...gatewayEnv,
        },
      }),
    );
    started.push(gateway);
    client = new Client({ connectionString: db.url });
    await client.connect();
    const pg = client;
    return {
      db,
      identity,
      gateway,
      api: new GraphQLClient(`${gateway.url}/graphql`),
      sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers a TALENT through the gateway; returns their access token and a client carrying it. */
export async function register(stack: GatewayStack): Promise<{ id: string; accessToken: string; api: GraphQLClient }> {
  const data = await stack.api.data<{ register: { accessToken: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`,
    {
      input: {
        email: `gw-${randomBytes(5).toString('hex')}@example.test`,
        password: 'correct horse battery staple',
        displayName: 'Gateway Tester',
        roles: ['TALENT'],
      },
    },
  );
  const { accessToken, user } = data.register;
  return { id: user.id, accessToken, api: stack.api.withToken(accessToken) };
}

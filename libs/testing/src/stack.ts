import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from './database';
import { gatewaySignatureHeaders } from './gateway-signature';
import { GraphQLClient } from './graphql-client';
import { freePort, freePorts, startServiceProcess, workspaceRoot, type ServiceProcess } from './service-process';
import { waitFor } from './wait-for';

export interface StackService {
  process: ServiceProcess;
  /** The service's Kafka consumer group in this stack. */
  groupId: string;
  db: TestDatabase;
  /** Runs SQL on the service's own database (for checks a user cannot make: PII at rest, outbox, inbox). */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops the service and starts it again on the same port and database, its environment changed by `env` (e.g. a restart with new config). */
  restart(env?: Record<string, string>): Promise<ServiceProcess>;
}

export interface Stack {
  services: Record<string, StackService>;
  /** This stack's name for a topic: its services prefix every topic, so stacks sharing a broker never see each other's events. */
  topic(name: string): string;
  topicPrefix: string;
  gateway: ServiceProcess;
  /** Anonymous client of the gateway's /graphql. */
  api: GraphQLClient;
  admin: { email: string; password: string };
  signingKey: KeyObject;
  kycKey: Buffer;
  /** The GATEWAY_SECRET shared by the gateway and every service of this stack. */
  gatewaySecret: string;
  /** payments' PAYMENT_WEBHOOK_SECRET: what the payment provider signs its webhooks with. */
  paymentWebhookSecret: string;
  /**
   * Anonymous client of a service's own /graphql, signing each request as the gateway does:
   * for what a subgraph decides itself (e.g. `_entities` lookups), past the gateway.
   */
  subgraph(name: string): GraphQLClient;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Subgraph services to start (identity is always started first: it issues tokens). */
  services: string[];
  /** Extra environment per service name (including 'gateway'). */
  env?: Record<string, Record<string, string>>;
}

/**
 * The real stack for end-to-end tests: a fresh database per service, the built services
 * started as processes on the test run's Kafka-protocol broker and Redis, and the gateway
 * serving a supergraph composed from exactly those services.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through a jest project whose globalSetup starts a broker');
  const names = ['identity', ...options.services.filter((s) => s !== 'identity')];
  const topicPrefix = `${uniquePrefix('stack')}.`;
  const signingKey = generateKeyPairSync('ed25519').privateKey;
  const kycKey = randomBytes(32);
  // Subgraphs answer only requests the gateway signed, as in production.
  const gatewaySecret = randomBytes(32).toString('base64');
  // The payment provider's webhook signing secret (Standard Webhooks format).
  const paymentWebhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const admin = { email: `admin-${randomBytes(4).toString('hex')}@example.test`, password: `Adm1n-${randomBytes(9).toString('base64url')}` };
  const started: ServiceProcess[] = [];
  const dbs: TestDatabase[] = [];
  const clients: Client[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await Promise.all(dbs.map((db) => db.drop().catch(() => undefined)));
  };
  try {
    // The services' ports are chosen first, so that identity, the other services and the gateway all
    // start at once: the others need only identity's JWKS URL (read at their first token), the
    // gateway only the supergraph and the subgraphs' URLs (health-checked in the background).
    const servicePorts = await freePorts(names.length);
    const port = Object.fromEntries(names.map((name, i) => [name, servicePorts[i]]));
    const url = (name: string) => `http://127.0.0.1:${port[name]}`;
    const jwksUrl = `${url('identity')}/.well-known/jwks.json`;
    const supergraph = path.join(mkdtempSync(path.join(tmpdir(), 'stack-')), 'supergraph.graphql');
    const composed = promisify(execFile)(process.execPath, [
      path.join(workspaceRoot(), 'tools/supergraph/compose.mjs'),
      '--subgraphs',
      names.join(','),
      '--out',
      supergraph,
      '--quiet',
      '--cache',
      path.join(tmpdir(), 'talent-subgraph-sdl'),
    ]);
    composed.catch(() => undefined); // awaited (and its failure thrown) before the gateway starts
    const services: Record<string, StackService> = {};
    const startService = async (name: string): Promise<void> => {
      const db = await createTestDatabase(`${name}_e2e`);
      const groupId = options.env?.[name]?.KAFKA_GROUP_ID ?? uniquePrefix(name);
      dbs.push(db);
      const env: Record<string, string> = {
        SERVICE_NAME: name,
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: '5',
        KAFKA_BROKERS: brokers,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: uniquePrefix(`${name}-e2e`),
        // A group per stack: stacks of one test run share the broker, and a group left by a stopped stack rebalances slowly.
        KAFKA_GROUP_ID: groupId,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        OUTBOX_POLL_INTERVAL_MS: '200',
        // Event hops in tests as fast as before the 5 s default (the local mock broker waits out every empty fetch).
        KAFKA_CONSUMER_MAX_WAIT_MS: '100',
        GATEWAY_SECRET: gatewaySecret,
        ...(name === 'identity'
          ? {
              ADMIN_EMAIL: admin.email,
              ADMIN_PASSWORD: admin.password,
              ACCESS_TOKEN_TTL_SECONDS: '600',
              JWT_PRIVATE_KEY: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
              KYC_ENCRYPTION_KEY: kycKey.toString('base64'),
              KYC_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
              // Every user of a stack registers from the test runner's one address.
              REGISTER_MAX_PER_IP: '100000',
            }
          : { JWKS_URL: jwksUrl }),
        ...(name === 'payments' ? { PAYMENT_WEBHOOK_SECRET: paymentWebhookSecret, LOCAL_PROVIDER_CONFIRM_DELAY_MS: '300' } : {}),
        // Partner nodes' secrets are encrypted with a key of this stack; tests receive webhooks on localhost.
        ...(name === 'partners' ? { PARTNER_SECRET_KEY: randomBytes(32).toString('base64'), PARTNER_WEBHOOK_ALLOW_PRIVATE: 'true' } : {}),
        ...options.env?.[name],
      };
      const proc = await startServiceProcess({ name, entry: `apps/${name}/dist/main.js`, env, port: port[name], onSpawn: (p) => started.push(p) });
      const client = new Client({ connectionString: db.url });
      await client.connect();
      clients.push(client);
      // One connection, so its pid stays the observer's through a fault (databaseOutage's keepPids);
      // callers run concurrently (e.g. waitFor probes in Promise.all), so their queries are queued
      // here one after another: pg 8 deprecates a query issued while its client is busy.
      let last: Promise<unknown> = Promise.resolve();
      const sql = <T>(text: string, params?: unknown[]): Promise<T[]> => {
        const result = last.then(() => client.query(text, params));
        last = result.catch(() => undefined);
        return result.then((r) => r.rows as T[]);
      };
      const restart = async (changed: Record<string, string> = {}) => {
        const service = services[name];
        await service.process.stop();
        service.process = await startServiceProcess({
          name,
          entry: `apps/${name}/dist/main.js`,
          env: { ...env, ...changed },
          port: service.process.port,
          onSpawn: (p) => started.push(p),
        });
        return service.process;
      };
      services[name] = { process: proc, groupId, db, sql, restart };
    };
    const startGateway = async (): Promise<ServiceProcess> => {
      await composed;
      // A free port, and none promised to a service of this stack (they may not have bound theirs yet).
      let gatewayPort: number;
      do gatewayPort = await freePort();
      while (servicePorts.includes(gatewayPort));
      return startServiceProcess({
        name: 'gateway',
        entry: 'apps/gateway/dist/main.js',
        port: gatewayPort,
        env: {
          SUPERGRAPH_PATH: supergraph,
          JWKS_URL: jwksUrl,
          GATEWAY_SECRET: gatewaySecret,
          REDIS_URL: testRedisUrl(),
          REDIS_PREFIX: uniquePrefix('gateway-e2e'),
          ...Object.fromEntries(names.map((n) => [`SUBGRAPH_${n.toUpperCase()}_URL`, `${url(n)}/graphql`])),
          ...options.env?.gateway,
        },
        onSpawn: (p) => started.push(p),
      });
    };
    const [gatewayStarted, ...rest] = await Promise.allSettled([startGateway(), ...names.map(startService)]);
    const failed = [gatewayStarted, ...rest].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const gateway = (gatewayStarted as PromiseFulfilledResult<ServiceProcess>).value;
    // Started beside its subgraphs, the gateway saw them down at first: ready means it has seen them up since.
    await waitFor(
      async () => {
        const res = await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(2000) });
        const subgraphs = ((await res.json()) as { details?: { subgraphs?: Record<string, { status: string }> } }).details?.subgraphs;
        if (!names.every((name) => subgraphs?.[name]?.status === 'up')) throw new Error(`subgraphs as the gateway sees them: ${JSON.stringify(subgraphs)}`);
        return true;
      },
      10_000,
      { intervalMs: 100, message: 'the gateway sees every subgraph up' },
    );
    const subgraph = (name: string) => new GraphQLClient(`${services[name].process.url}/graphql`, {}, (body) => gatewaySignatureHeaders(gatewaySecret, body));
    return {
      services,
      topic: (name) => `${topicPrefix}${name}`,
      topicPrefix,
      gateway,
      api: new GraphQLClient(`${gateway.url}/graphql`),
      admin,
      signingKey,
      kycKey,
      gatewaySecret,
      paymentWebhookSecret,
      subgraph,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
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
 * The real identity stack for end-to-end tests: a fresh PostgreSQL database, the built
 * identity service and the built gateway in front of it, both as processes. Tests talk
 * to the gateway like a frontend does; `sql` reads the identity database directly for
 * checks a user cannot make (PII at rest, outbox).
 */
export interface IdentityStack {
  db: TestDatabase;
  identity: ServiceProcess;
  gateway: ServiceProcess;
  /** Anonymous client of the gateway's /graphql. */
  api: GraphQLClient;
  admin: { email: string; password: string };
  /** The Ed25519 key identity signs access tokens with (handed to it as JWT_PRIVATE_KEY). */
  signingKey: KeyObject;
  /** 32 bytes that encrypt KYC fields at rest (handed to identity as KYC_ENCRYPTION_KEY). */
  kycKey: Buffer;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra or overriding environment for identity (e.g. throttle limits). */
  identityEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
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
 * signal (Nest re-raises SIGTERM after its shutdown hooks) has exitCode null, so a second
 * stop would wait forever. Each service's stop runs once and later calls share its result.
 */
function stopOnce(service: ServiceProcess): ServiceProcess {
  let stopping: Promise<number | null> | undefined;
  return { ...service, output: () => service.output(), stop: (signal) => (stopping ??= service.stop(signal)) };
}

export async function startIdentityStack(options: StackOptions = {}): Promise<IdentityStack> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the e2e jest project (its globalSetup starts a broker)');
  const signingKey = generateKeyPairSync('ed25519').privateKey;
  const kycKey = randomBytes(32);
  const admin = { email: `admin-${randomBytes(4).toString('hex')}@example.test`, password: `Adm1n-${randomBytes(9).toString('base64url')}` };
  const supergraph = composeIdentitySupergraph();
  supergraph.catch(() => undefined); // awaited below; this only avoids an unhandled rejection meanwhile
  const db = await createTestDatabase('identity_e2e');
  const started: ServiceProcess[] = [];
  let client: Client | undefined;
  const stopAll = async () => {
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
          REDIS_PREFIX: uniquePrefix('identity-e2e'),
          ADMIN_EMAIL: admin.email,
          ADMIN_PASSWORD: admin.password,
          ACCESS_TOKEN_TTL_SECONDS: '600',
          JWT_PRIVATE_KEY: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          KYC_ENCRYPTION_KEY: kycKey.toString('base64'),
          OUTBOX_POLL_INTERVAL_MS: '200',
          ...options.identityEnv,
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
          ...options.gatewayEnv,
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
      admin,
      signingKey,
      kycKey,
      sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A unique, valid email for one test. */
export const uniqueEmail = (label = 'user'): string => `${label}-${randomBytes(5).toString('hex')}@example.test`;

/** A password that passes the registration rules. */
export const PASSWORD = 'correct horse battery staple';

export const USER_FIELDS = 'id email displayName roles kycStatus isMember screeningStatus createdAt';

export interface Session {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** A gateway client carrying this user's access token. */
  api: GraphQLClient;
}

/** Registers a user through the gateway and returns a client signed in as them. */
export async function register(
  stack: IdentityStack,
  input: { roles?: string[]; displayName?: string; email?: string; referralCode?: string } = {},
): Promise<Session> {
  const email = input.email ?? uniqueEmail();
  const data = await stack.api.data<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }`,
    {
      input: {
        email,
        password: PASSWORD,
        displayName: input.displayName ?? 'Test User',
        roles: input.roles ?? ['TALENT'],
        ...(input.referralCode ? { referralCode: input.referralCode } : {}),
      },
    },
  );
  const { accessToken, refreshToken, user } = data.register;
  return { id: user.id, email, password: PASSWORD, accessToken, refreshToken, api: stack.api.withToken(accessToken) };
}

/** Signs in through the gateway (from a given client address when `ip` is set). */
export async function login(stack: IdentityStack, email: string, password: string, ip?: string): Promise<Session> {
  const api = ip ? stack.api.withHeaders({ 'x-forwarded-for': ip }) : stack.api;
  const data = await api.data<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { id } } }`,
    { email, password },
  );
  const { accessToken, refreshToken, user } = data.login;
  return { id: user.id, email, password, accessToken, refreshToken, api: stack.api.withToken(accessToken) };
}

/** Signs in as the bootstrap administrator. */
export const loginAdmin = (stack: IdentityStack): Promise<Session> => login(stack, stack.admin.email, stack.admin.password);

/** Grants a role as the admin and returns a fresh session of the user, whose token carries the new role. */
export async function grantRole(stack: IdentityStack, admin: Session, user: Session, role: string): Promise<Session> {
  await admin.api.data(`mutation ($u: ID!, $r: Role!) { grantRole(userId: $u, role: $r) { id } }`, { u: user.id, r: role });
  return login(stack, user.email, user.password);
}

export const KYC_MUTATION = `mutation ($input: SubmitKycInput!) {
  submitKyc(input: $input) { id status country documentType documentNumberLast4 submittedAt reviewedAt reason user { id kycStatus } }
}`;

export const kycInput = (overrides: Record<string, unknown> = {}) => ({
  legalName: 'Ada Quinn Lovelace',
  country: 'GB',
  dateOfBirth: '1990-04-12',
  documentType: 'PASSPORT',
  documentNumber: 'ZX9081726354',
  ...overrides,
});

/** Submits KYC for the session's user; returns the new case's id. */
export async function submitKyc(user: Session, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = await user.api.data<{ submitKyc: { id: string } }>(KYC_MUTATION, { input: kycInput(overrides) });
  return data.submitKyc.id;
}

export async function reviewKyc(reviewer: Session, caseId: string, decision: 'APPROVE' | 'REJECT', reason?: string) {
  return reviewer.api.data<{ reviewKyc: { id: string; status: string } }>(
    `mutation ($c: ID!, $d: ReviewDecision!, $r: String) { reviewKyc(caseId: $c, decision: $d, reason: $r) { id status } }`,
    { c: caseId, d: decision, r: reason ?? null },
  );
}

/** A registered user whose KYC an admin approved (a member). */
export async function member(stack: IdentityStack, admin: Session, roles: string[] = ['TALENT']): Promise<Session> {
  const user = await register(stack, { roles });
  const caseId = await submitKyc(user, { documentNumber: `M${randomBytes(5).toString('hex').toUpperCase()}` });
  await reviewKyc(admin, caseId, 'APPROVE');
  return user;
}

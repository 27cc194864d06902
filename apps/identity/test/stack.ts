import { randomBytes, type KeyObject } from 'node:crypto';
import { startStack, type GraphQLClient, type ServiceProcess, type TestDatabase } from '@talent/testing';

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
  /** 32 bytes that key identity document fingerprints (handed to identity as KYC_FINGERPRINT_KEY). */
  fingerprintKey: Buffer;
  /** This stack's name for a topic (its services prefix every topic). */
  topic(name: string): string;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra or overriding environment for identity (e.g. throttle limits). */
  identityEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
}

/** The shared test stack (libs/testing `startStack`) with identity alone behind the gateway. */
export async function startIdentityStack(options: StackOptions = {}): Promise<IdentityStack> {
  const fingerprintKey = randomBytes(32);
  const stack = await startStack({
    services: ['identity'],
    env: {
      identity: { KYC_FINGERPRINT_KEY: fingerprintKey.toString('base64'), ...options.identityEnv },
      // The test runner plays the proxy in front of the gateway: its X-Forwarded-For names each scenario's client address.
      gateway: { TRUSTED_PROXIES: 'loopback', ...options.gatewayEnv },
    },
  });
  const { db, process: identity, sql } = stack.services.identity;
  return {
    db,
    identity,
    gateway: stack.gateway,
    api: stack.api,
    admin: stack.admin,
    signingKey: stack.signingKey,
    kycKey: stack.kycKey,
    fingerprintKey: options.identityEnv?.KYC_FINGERPRINT_KEY ? Buffer.from(options.identityEnv.KYC_FINGERPRINT_KEY, 'base64') : fingerprintKey,
    topic: stack.topic,
    sql,
    stop: stack.stop,
  };
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

import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  createInspector,
  errorCode,
  makeMember,
  signInAdmin,
  startStack,
  TEST_PASSWORD,
  uniqueEmail,
  waitFor,
  type GraphQLClient,
  type GraphQLResponse,
  type Persona,
  type Stack,
} from '@talent/testing';

/*
 * The abuse suite of sign-in and sessions, end to end through the gateway on the real stack
 * (identity and jobs as processes, PostgreSQL, Redis, the broker): password guessing against
 * one account and from one address, registration and refresh floods, a forged client address,
 * and what an account holder or an admin does when a session must end: sign out, revoke every
 * session, disable an account, take a role back, each refused at another subgraph within
 * seconds. Last, the bootstrap admin cannot be taken over by registering its address first.
 *
 * The test runner plays two parts: the proxy in front of the gateway (127.0.0.1, the only
 * address the gateway trusts, whose X-Forwarded-For names each scenario's client address),
 * and, from 127.0.0.2, a client connecting directly, whose own X-Forwarded-For must be ignored.
 */
const MAX_GUESSES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 8;
const SLOWDOWN_MS = 400;
const MAX_REGISTRATIONS_PER_ADDRESS = 5;
const MAX_REFRESH_FAILURES_PER_ADDRESS = 5;

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id roles } } }`;
const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id roles } } }`;
const REFRESH = `mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id roles } } }`;
const LOGOUT = `mutation ($t: String) { logout(refreshToken: $t) }`;
const REVOKE_MINE = `mutation { revokeMySessions }`;
const DISABLE = `mutation ($u: ID!) { disableUser(userId: $u) { id disabledAt } }`;
const ENABLE = `mutation ($u: ID!) { enableUser(userId: $u) { id disabledAt } }`;
const REVOKE_ROLE = `mutation ($u: ID!, $r: Role!) { revokeRole(userId: $u, role: $r) { id roles } }`;
const GRANT_ROLE = `mutation ($u: ID!, $r: Role!) { grantRole(userId: $u, role: $r) { id roles } }`;
const ME = `{ me { id roles } }`;
const USER = `query ($id: ID!) { user(id: $id) { id roles disabledAt } }`;
/** A field of the jobs subgraph that needs a signed-in caller. */
const MY_APPLICATIONS = `{ myApplications { id } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const JOBS_OF = `query ($id: ID!) { jobs(filter: { clientId: $id }) { totalCount } }`;

interface Account {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  api: GraphQLClient;
}

const jobInput = {
  title: 'Audit our sign-in flow',
  description: 'A short security review.',
  skills: ['security'],
  minYearsExperience: 0,
  countries: [],
  budget: { min: { amount: '50', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 10,
  durationWeeks: 2,
};

describe('abuse suite: sign-in throttling and sessions', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;
  /** Client addresses (TEST-NET-2), one or more per scenario, so that each has its own counters. */
  let nextAddress = 1;
  const freshAddress = () => `198.51.100.${nextAddress++}`;
  /** The gateway as reached through the trusted proxy, for a client at `address`. */
  const from = (address: string): GraphQLClient => stack.api.withHeaders({ 'x-forwarded-for': address });
  const at = (token: string) => stack.api.withToken(token);

  const signUp = async (roles: string[] = ['TALENT'], address = freshAddress()): Promise<Account> => {
    const email = uniqueEmail(roles[0].toLowerCase());
    const res = await from(address).data<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(REGISTER, {
      input: { email, password: TEST_PASSWORD, displayName: 'Session Tester', roles },
    });
    const { accessToken, refreshToken, user } = res.register;
    return { id: user.id, email, accessToken, refreshToken, api: at(accessToken) };
  };
  const signIn = async (email: string, password = TEST_PASSWORD, address = freshAddress()): Promise<Account> => {
    const res = await from(address).data<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(LOGIN, { e: email, p: password });
    return { id: res.login.user.id, email, accessToken: res.login.accessToken, refreshToken: res.login.refreshToken, api: at(res.login.accessToken) };
  };
  const login = (address: string, email: string, password: string) => from(address).request(LOGIN, { e: email, p: password });
  /** Each from its own address: the dead tokens the session tests present must not trip the refresh throttle. */
  const refresh = (token: string) => from(freshAddress()).request(REFRESH, { t: token });
  const refreshed = async (token: string) => {
    const res = await refresh(token);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data.refreshToken as { accessToken: string; refreshToken: string; user: { id: string; roles: string[] } };
  };
  const usersWithEmail = async (email: string) =>
    (await stack.services.identity.sql<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]))[0].n;

  /** The token is refused by jobs, through the gateway and when presented to jobs directly (its own check). */
  const refusedAtJobs = async (token: string) => {
    const viaGateway = await at(token).request(MY_APPLICATIONS);
    const direct = await stack.subgraph('jobs').withToken(token).request(MY_APPLICATIONS);
    return errorCode(viaGateway) === 'UNAUTHENTICATED' && errorCode(direct) === 'UNAUTHENTICATED';
  };
  const acceptedAtJobs = async (token: string) => {
    const viaGateway = await at(token).request(MY_APPLICATIONS);
    const direct = await stack.subgraph('jobs').withToken(token).request(MY_APPLICATIONS);
    return !viaGateway.errors && !direct.errors && Array.isArray(viaGateway.data?.myApplications) && Array.isArray(direct.data?.myApplications);
  };
  /** Revocations are asserted effective "within seconds": polled for up to 5 s, no fixed sleep. */
  const refusedWithinSeconds = (token: string, what: string) => waitFor(() => refusedAtJobs(token), 5_000, { message: `${what} refused at jobs` });

  /**
   * A request from another client address than the test runner's (127.0.0.2, which the gateway
   * does not trust as a proxy), carrying whatever X-Forwarded-For it likes.
   */
  const fromUntrustedClient = (query: string, variables: Record<string, unknown>, forwardedFor: string): Promise<GraphQLResponse> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ query, variables });
      const req = httpRequest(
        `${stack.gateway.url}/graphql`,
        { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ ...JSON.parse(text), status: res.statusCode ?? 0 }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    stack = await startStack({
      services: ['jobs'],
      env: {
        identity: {
          LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_GUESSES_PER_ACCOUNT),
          LOGIN_MAX_FAILURES_PER_IP: String(MAX_FAILURES_PER_ADDRESS),
          LOGIN_LOCKOUT_SECONDS: '600',
          LOGIN_SLOWDOWN_MS: String(SLOWDOWN_MS),
          REGISTER_MAX_PER_IP: String(MAX_REGISTRATIONS_PER_ADDRESS),
          REFRESH_MAX_FAILURES_PER_IP: String(MAX_REFRESH_FAILURES_PER_ADDRESS),
          REFRESH_WINDOW_SECONDS: '600',
        },
        // Only the test runner's own address is a proxy; 127.0.0.2 is a client like any other.
        gateway: { TRUSTED_PROXIES: '127.0.0.1' },
      },
    });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('sign-in throttling', () => {
    it('30 parallel wrong passwords against one account: at most the limit is evaluated, the rest refused unevaluated', async () => {
      const victim = await signUp();
      const attacker = freshAddress();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(attacker, victim.email, `wrong password ${i}`)));
      const codes = answers.map(errorCode);
      expect(codes.every((c) => c === 'UNAUTHENTICATED' || c === 'RATE_LIMITED')).toBe(true);
      const evaluated = codes.filter((c) => c === 'UNAUTHENTICATED').length;
      expect(evaluated).toBeGreaterThan(0);
      expect(evaluated).toBeLessThanOrEqual(MAX_GUESSES_PER_ACCOUNT);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(30 - evaluated);

      // Even the right password, from elsewhere, is now refused as RATE_LIMITED (not evaluated), with a retry hint.
      const right = await login(freshAddress(), victim.email, TEST_PASSWORD);
      expect(errorCode(right)).toBe('RATE_LIMITED');
      expect(right.data ?? null).toBeNull();
      expect(right.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      // The victim's existing session is untouched, and other accounts sign in as usual.
      expect((await victim.api.data(ME)).me.id).toBe(victim.id);
      const other = await signUp();
      expect((await signIn(other.email, TEST_PASSWORD, attacker)).id).toBe(other.id);
    });

    it("a burst of failures from one address slows it down, but a bystander's right password from that address still gets in", async () => {
      const [bystander, targeted] = [await signUp(), await signUp()];
      const shared = freshAddress(); // one NAT, an attacker and a bystander behind it
      const spray = await Promise.all(Array.from({ length: MAX_FAILURES_PER_ADDRESS + 2 }, () => login(shared, uniqueEmail('spray'), 'Winter2024!!')));
      expect(spray.map(errorCode).every((c) => c === 'UNAUTHENTICATED')).toBe(true);

      // An account that already failed is not guessed at from the flagged address any more...
      expect(errorCode(await login(freshAddress(), targeted.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
      const refused = await login(shared, targeted.email, TEST_PASSWORD);
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      // ...and every attempt from there is slowed down...
      const started = Date.now();
      const session = await signIn(bystander.email, TEST_PASSWORD, shared);
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOWDOWN_MS);
      // ...but the bystander is in, with a working token.
      expect(session.id).toBe(bystander.id);
      expect(await acceptedAtJobs(session.accessToken)).toBe(true);
      // The refused attempt did not count against the targeted account: its owner signs in from elsewhere.
      expect((await signIn(targeted.email, TEST_PASSWORD, freshAddress())).id).toBe(targeted.id);
    });

    it('register is throttled per address: past the limit RATE_LIMITED, and no account is created', async () => {
      const address = freshAddress();
      for (let i = 0; i < MAX_REGISTRATIONS_PER_ADDRESS; i++) await signUp(['TALENT'], address);
      const email = uniqueEmail('flood');
      const refused = await from(address).request(REGISTER, { input: { email, password: TEST_PASSWORD, displayName: 'Flood', roles: ['TALENT'] } });
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      expect(refused.data ?? null).toBeNull();
      expect(await usersWithEmail(email)).toBe(0);
      // Another address registers as usual.
      expect((await signUp(['TALENT'], freshAddress())).id).toEqual(expect.any(String));
    });

    it('refreshToken is throttled per address: good refreshes never count, failures do, then RATE_LIMITED', async () => {
      const user = await signUp();
      const address = freshAddress();
      // More good refreshes than the failure limit: all fine.
      let current = user.refreshToken;
      for (let i = 0; i < MAX_REFRESH_FAILURES_PER_ADDRESS + 2; i++) {
        current = (await from(address).data<{ refreshToken: { refreshToken: string } }>(REFRESH, { t: current })).refreshToken.refreshToken;
      }
      const dead = `${user.refreshToken.split('.')[0]}.${randomBytes(32).toString('base64url')}`;
      for (let i = 0; i < MAX_REFRESH_FAILURES_PER_ADDRESS; i++) {
        expect(errorCode(await from(address).request(REFRESH, { t: i % 2 ? dead : `garbage-${i}` }))).toBe('UNAUTHENTICATED');
      }
      const refused = await from(address).request(REFRESH, { t: current });
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      // The refused refresh was not evaluated: the token still works from another address.
      const res = await from(freshAddress()).request(REFRESH, { t: current });
      expect(res.errors).toBeUndefined();
      expect(res.data!.refreshToken.user.id).toBe(user.id);
    });

    it('a forged X-Forwarded-For from a client the gateway does not trust changes nothing: its own address is counted', async () => {
      const targeted = await signUp();
      const forged = () => freshAddress();
      // Failures from 127.0.0.2, each claiming another address: were the header believed, no address would reach the limit.
      for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
        expect(errorCode(await fromUntrustedClient(LOGIN, { e: uniqueEmail('forger'), p: 'Winter2024!!' }, forged()))).toBe('UNAUTHENTICATED');
      }
      expect(errorCode(await login(freshAddress(), targeted.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
      const claimed = forged();
      // 127.0.0.2 is flagged (had each claimed address been counted, none would be), whatever address it claims...
      const refused = await fromUntrustedClient(LOGIN, { e: targeted.email, p: TEST_PASSWORD }, claimed);
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      // ...while the client really at the claimed address, behind the trusted proxy, is not affected.
      expect((await signIn(targeted.email, TEST_PASSWORD, claimed)).id).toBe(targeted.id);
    });
  });

  describe('sessions', () => {
    it('logout: the access token is refused at jobs within seconds and the refresh token is dead; the other session lives', async () => {
      const user = await signUp();
      const other = await signIn(user.email);
      expect(await acceptedAtJobs(user.accessToken)).toBe(true);

      const res = await user.api.request(LOGOUT, { t: user.refreshToken });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ logout: true });
      await refusedWithinSeconds(user.accessToken, 'the signed-out access token');
      expect(errorCode(await refresh(user.refreshToken))).toBe('UNAUTHENTICATED');
      expect((await at(user.accessToken).data(ME)).me).toBeNull();

      // Another session of the same account is not signed out.
      expect(await acceptedAtJobs(other.accessToken)).toBe(true);
      const renewed = await refresh(other.refreshToken);
      expect(renewed.errors).toBeUndefined();
      // Signing out with the refresh token alone (the access token lost) ends that session too, its access tokens included.
      const next = renewed.data!.refreshToken;
      expect((await stack.api.request(LOGOUT, { t: next.refreshToken })).data).toEqual({ logout: true });
      await refusedWithinSeconds(next.accessToken, 'an access token of a session signed out by its refresh token');
      await refusedWithinSeconds(other.accessToken, 'an older access token of that session');
      expect(errorCode(await refresh(next.refreshToken))).toBe('UNAUTHENTICATED');
      // Anonymous, without a refresh token: nothing to sign out.
      expect(errorCode(await stack.api.request(LOGOUT, {}))).toBe('UNAUTHENTICATED');
    });

    it('revokeMySessions ends every session of the account, on every device; a new sign-in works', async () => {
      const first = await signUp();
      const sessions = [first, await signIn(first.email), await signIn(first.email)];
      for (const s of sessions) expect(await acceptedAtJobs(s.accessToken)).toBe(true);

      expect((await first.api.data(REVOKE_MINE)).revokeMySessions).toBe(true);
      for (const s of sessions) {
        await refusedWithinSeconds(s.accessToken, 'an access token of a revoked session');
        expect(errorCode(await refresh(s.refreshToken))).toBe('UNAUTHENTICATED');
      }
      expect(errorCode(await stack.api.request(REVOKE_MINE))).toBe('UNAUTHENTICATED');
      const fresh = await signIn(first.email);
      expect(await acceptedAtJobs(fresh.accessToken)).toBe(true);
    });

    it('disableUser: tokens refused everywhere, no refresh, no sign-in; enableUser lets the account sign in again', async () => {
      const user = await signUp();
      const second = await signIn(user.email);
      const res = await admin.api.request(DISABLE, { u: user.id });
      expect(res.errors).toBeUndefined();
      expect(Date.parse(res.data!.disableUser.disabledAt)).not.toBeNaN();

      for (const s of [user, second]) {
        await refusedWithinSeconds(s.accessToken, "a disabled account's access token");
        expect(errorCode(await refresh(s.refreshToken))).toBe('UNAUTHENTICATED');
      }
      // The right password is refused (FORBIDDEN: disabled), a wrong one as usual (UNAUTHENTICATED).
      const address = freshAddress();
      expect(errorCode(await login(address, user.email, TEST_PASSWORD))).toBe('FORBIDDEN');
      expect(errorCode(await login(address, user.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
      // Only admins see that the account is disabled.
      expect((await admin.api.data(USER, { id: user.id })).user.disabledAt).toEqual(expect.any(String));
      expect((await stack.api.data(USER, { id: user.id })).user.disabledAt).toBeNull();

      expect((await admin.api.data(ENABLE, { u: user.id })).enableUser.disabledAt).toBeNull();
      const back = await signIn(user.email);
      expect(await acceptedAtJobs(back.accessToken)).toBe(true);
      // Its old sessions stay ended.
      expect(await refusedAtJobs(second.accessToken)).toBe(true);
      expect(errorCode(await refresh(second.refreshToken))).toBe('UNAUTHENTICATED');
    });

    it('revokeRole: a client whose CLIENT role is taken back can no longer post at jobs within seconds; a granted role shows after a refresh', async () => {
      const client = await signUp(['CLIENT', 'TALENT']);
      await makeMember(stack, client, inspector);
      // Jobs learns membership from identity's events: the client can post.
      await waitFor(async () => !(await client.api.request(POST_JOB, { input: jobInput })).errors, 30_000, { message: 'the client can post a job' });
      const posted = (await stack.api.data(JOBS_OF, { id: client.id })).jobs.totalCount;

      const res = await admin.api.request(REVOKE_ROLE, { u: client.id, r: 'CLIENT' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.revokeRole).toEqual({ id: client.id, roles: ['TALENT'] });
      // The token that still says CLIENT is refused, through the gateway and at jobs itself.
      await refusedWithinSeconds(client.accessToken, 'a token carrying the revoked role');
      expect(errorCode(await client.api.request(POST_JOB, { input: jobInput }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await stack.subgraph('jobs').withToken(client.accessToken).request(POST_JOB, { input: jobInput }))).toBe('UNAUTHENTICATED');
      // A refresh gives a token without the role: posting is FORBIDDEN, and nothing was posted.
      const withoutRole = await refreshed(client.refreshToken);
      expect(withoutRole.user.roles).toEqual(['TALENT']);
      const forbidden = await at(withoutRole.accessToken).request(POST_JOB, { input: jobInput });
      expect(errorCode(forbidden)).toBe('FORBIDDEN');
      expect((await stack.api.data(JOBS_OF, { id: client.id })).jobs.totalCount).toBe(posted);

      // Granting it back: the current token is refused, the next refresh carries CLIENT again.
      expect((await admin.api.data(GRANT_ROLE, { u: client.id, r: 'CLIENT' })).grantRole.roles).toEqual(['TALENT', 'CLIENT']);
      await refusedWithinSeconds(withoutRole.accessToken, 'a token issued before the grant');
      const again = await refreshed(withoutRole.refreshToken);
      expect(again.user.roles).toEqual(['TALENT', 'CLIENT']);
      expect((await at(again.accessToken).request(POST_JOB, { input: jobInput })).errors).toBeUndefined();
    });

    it('non-admins cannot disable accounts or take roles back (FORBIDDEN), and nothing changes; an admin cannot lock itself out', async () => {
      const mallory = await signUp(['TALENT', 'CLIENT', 'CONNECTOR']);
      const victim = await signUp(['CLIENT']);
      const attempts = [
        [DISABLE, { u: victim.id }],
        [REVOKE_ROLE, { u: victim.id, r: 'CLIENT' }],
        [REVOKE_ROLE, { u: admin.id, r: 'ADMIN' }],
        [DISABLE, { u: admin.id }],
        [ENABLE, { u: victim.id }],
      ] as const;
      for (const [mutation, variables] of attempts) {
        const res = await mallory.api.request(mutation, variables);
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(res.data ?? null).toBeNull();
        expect(errorCode(await stack.api.request(mutation, variables))).toBe('UNAUTHENTICATED');
      }
      // Nothing changed: the victim's token works everywhere, with its role; so do the admin's.
      expect(await acceptedAtJobs(victim.accessToken)).toBe(true);
      expect((await victim.api.data(ME)).me.roles).toEqual(['CLIENT']);
      expect((await signIn(victim.email)).id).toBe(victim.id);
      expect(await acceptedAtJobs(admin.accessToken)).toBe(true);

      // An admin cannot disable itself nor drop its own ADMIN role: the network keeps an admin.
      expect(errorCode(await admin.api.request(DISABLE, { u: admin.id }))).toBe('FORBIDDEN');
      expect(errorCode(await admin.api.request(REVOKE_ROLE, { u: admin.id, r: 'ADMIN' }))).toBe('FORBIDDEN');
      expect((await admin.api.data(ME)).me.roles).toContain('ADMIN');
    });
  });

  describe('bootstrap admin', () => {
    it('registering ADMIN_EMAIL before ops sets it does not make the account admin at the next start; a warning says so, without the email', async () => {
      const squatter = await signUp(['TALENT']);
      const adminPassword = `Adm1n-${randomBytes(9).toString('base64url')}`;
      const identity = await stack.services.identity.restart({ ADMIN_EMAIL: squatter.email, ADMIN_PASSWORD: adminPassword });

      const output = await waitFor(() => (identity.output().includes('ADMIN_EMAIL belongs to an existing account') ? identity.output() : ''), 10_000, {
        message: 'the bootstrap warning',
      });
      const warning = output.split('\n').find((line) => line.includes('ADMIN_EMAIL belongs to an existing account'))!;
      expect(JSON.parse(warning)).toMatchObject({ level: 'warn', userId: squatter.id });
      expect(output).not.toContain(squatter.email);

      // The squatter signs in with their own password, and is still only TALENT: admin mutations are FORBIDDEN.
      const session = await signIn(squatter.email);
      expect((await session.api.data(ME)).me.roles).toEqual(['TALENT']);
      expect(errorCode(await session.api.request(GRANT_ROLE, { u: squatter.id, r: 'ADMIN' }))).toBe('FORBIDDEN');
      expect(errorCode(await session.api.request(DISABLE, { u: admin.id }))).toBe('FORBIDDEN');
      // The configured admin password does not open the account either.
      expect(errorCode(await login(freshAddress(), squatter.email, adminPassword))).toBe('UNAUTHENTICATED');
      const [row] = await stack.services.identity.sql<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [squatter.id]);
      expect(row.roles).toEqual(['TALENT']);
      // The real admin is still admin.
      expect((await admin.api.data(ME)).me.roles).toContain('ADMIN');
    });
  });
});

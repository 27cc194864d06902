/**
 * Accounts, sessions, roles and organizations, driven through the gateway on the real
 * stack (PostgreSQL, Redis, Kafka-protocol broker, identity and gateway processes).
 */
import { generateKeyPairSync, randomUUID, sign as signBytes, type KeyObject } from 'node:crypto';
import { errorCode, type GraphQLClient } from '@talent/testing';
import { login, loginAdmin, PASSWORD, register, startIdentityStack, uniqueEmail, USER_FIELDS, type IdentityStack, type Session } from './stack';

const MAX_FAILURES_PER_ACCOUNT = 3;
const MAX_FAILURES_PER_IP = 5;
const LOCKOUT_SECONDS = 120;

const REGISTER = `mutation ($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { ${USER_FIELDS} } }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken user { id email roles } }
}`;
const REFRESH = `mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id email } } }`;
const ME = `{ me { ${USER_FIELDS} organizations { id name } } }`;
const USER = `query ($id: ID!) { user(id: $id) { id email displayName roles } }`;
const GRANT = `mutation ($u: ID!, $r: Role!) { grantRole(userId: $u, role: $r) { id roles } }`;
const CREATE_ORG = `mutation ($n: String!) { createOrganization(name: $n) { id name createdAt members { id displayName email } } }`;

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

let stack: IdentityStack;
let admin: Session;
/** Client addresses (TEST-NET-3) so that each throttling scenario has its own per-address counter. */
let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;
const from = (ip: string): GraphQLClient => stack.api.withHeaders({ 'x-forwarded-for': ip });

beforeAll(async () => {
  stack = await startIdentityStack({
    identityEnv: {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_FAILURES_PER_ACCOUNT),
      LOGIN_MAX_FAILURES_PER_IP: String(MAX_FAILURES_PER_IP),
      LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
    },
  });
  admin = await loginAdmin(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const usersWithEmail = async (email: string) =>
  Number((await stack.sql<{ n: string }>('SELECT count(*) AS n FROM users WHERE email = $1', [email.toLowerCase()]))[0].n);

describe('register', () => {
  it('returns tokens and the new user, whose email only they see', async () => {
    const email = uniqueEmail('Ada');
    const res = await stack.api.request(REGISTER, {
      input: { email: email.toUpperCase(), password: PASSWORD, displayName: ' Ada ', roles: ['TALENT', 'CONNECTOR'] },
    });
    expect(res.errors).toBeUndefined();
    const payload = res.data!.register;
    expect(payload.accessToken).toEqual(expect.any(String));
    expect(payload.refreshToken).toEqual(expect.any(String));
    expect(payload.user).toMatchObject({
      email: email.toLowerCase(),
      displayName: 'Ada',
      roles: ['TALENT', 'CONNECTOR'],
      kycStatus: 'NOT_STARTED',
      isMember: false,
      screeningStatus: 'NOT_SCREENED',
    });
    expect(Date.parse(payload.user.createdAt)).not.toBeNaN();

    // The access token works at once; the session is the user's.
    const me = await stack.api.withToken(payload.accessToken).data(ME);
    expect(me.me).toMatchObject({ id: payload.user.id, email: email.toLowerCase(), organizations: [] });
    // And they can sign in with the password they chose.
    expect((await login(stack, email, PASSWORD)).id).toBe(payload.user.id);
  });

  it('refuses a second account with the same email (CONFLICT) and leaves the first untouched', async () => {
    const first = await register(stack, { displayName: 'Original' });
    const res = await stack.api.request(REGISTER, {
      input: { email: first.email.toUpperCase(), password: 'another password 42', displayName: 'Impostor', roles: ['CLIENT'] },
    });
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.data ?? null).toBeNull();

    expect(await usersWithEmail(first.email)).toBe(1);
    const me = await first.api.data(ME);
    expect(me.me).toMatchObject({ id: first.id, displayName: 'Original', roles: ['TALENT'] });
    // The original password still works; the would-be new one does not.
    expect((await login(stack, first.email, PASSWORD)).id).toBe(first.id);
    expect(errorCode(await from(freshIp()).request(LOGIN, { email: first.email, password: 'another password 42' }))).toBe('UNAUTHENTICATED');
  });

  it.each([['INSPECTOR'], ['ADMIN']])('refuses choosing %s (FORBIDDEN) and creates no account', async (role) => {
    const email = uniqueEmail('climber');
    const res = await stack.api.request(REGISTER, { input: { email, password: PASSWORD, displayName: 'Climber', roles: ['TALENT', role] } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();

    expect(errorCode(await from(freshIp()).request(LOGIN, { email, password: PASSWORD }))).toBe('UNAUTHENTICATED');
    expect(await usersWithEmail(email)).toBe(0);
    // The email is still free for a regular registration.
    const ok = await stack.api.request(REGISTER, { input: { email, password: PASSWORD, displayName: 'Climber', roles: ['TALENT'] } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.register.user.roles).toEqual(['TALENT']);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }],
    ['a short password', { password: 'short' }],
    ['no role', { roles: [] }],
    ['a blank display name', { displayName: '   ' }],
  ])('refuses %s with BAD_USER_INPUT and creates no account', async (_, override) => {
    const email = uniqueEmail('invalid');
    const input = { email, password: PASSWORD, displayName: 'Valid Name', roles: ['TALENT'], ...override };
    const res = await stack.api.request(REGISTER, { input });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.data ?? null).toBeNull();
    expect(await usersWithEmail(email)).toBe(0);
  });
});

describe('login', () => {
  it('signs in with the right password and refuses a wrong one (UNAUTHENTICATED)', async () => {
    const user = await register(stack);
    const ip = freshIp();
    const ok = await from(ip).request(LOGIN, { email: user.email.toUpperCase(), password: PASSWORD });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.login.user).toEqual({ id: user.id, email: user.email, roles: ['TALENT'] });

    const wrong = await from(ip).request(LOGIN, { email: user.email, password: 'wrong password 123' });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.data ?? null).toBeNull();
    // An unknown email looks the same as a wrong password.
    const unknown = await from(ip).request(LOGIN, { email: uniqueEmail('ghost'), password: PASSWORD });
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(unknown.errors![0].message).toBe(wrong.errors![0].message);
  });

  it('locks an account after too many failures, even for the right password, with retryAfterSeconds', async () => {
    const user = await register(stack);
    // Each attempt from its own address: only the account counter can trip.
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(errorCode(await from(freshIp()).request(LOGIN, { email: user.email, password: `wrong password ${i}` }))).toBe('UNAUTHENTICATED');
    }
    const locked = await from(freshIp()).request(LOGIN, { email: user.email, password: PASSWORD });
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    expect(locked.data ?? null).toBeNull();
    const retryAfter = locked.errors![0].extensions!.retryAfterSeconds;
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_SECONDS);
    // Other accounts are not affected, and the locked user's existing session still works.
    const other = await register(stack);
    expect((await login(stack, other.email, PASSWORD, freshIp())).id).toBe(other.id);
    expect((await user.api.data(ME)).me.id).toBe(user.id);
  });

  it('a successful sign-in clears the account counter', async () => {
    const user = await register(stack);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      await from(freshIp()).request(LOGIN, { email: user.email, password: 'wrong password!!' });
    }
    await login(stack, user.email, PASSWORD, freshIp());
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      expect(errorCode(await from(freshIp()).request(LOGIN, { email: user.email, password: 'wrong password!!' }))).toBe('UNAUTHENTICATED');
    }
    expect((await login(stack, user.email, PASSWORD, freshIp())).id).toBe(user.id);
  });

  it('slows down a client address that fails for many accounts, without locking out the others behind it', async () => {
    const bystander = await register(stack);
    const targeted = await register(stack);
    const attacker = freshIp();
    // Wrong passwords for many different emails: no single account reaches its limit.
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      expect(errorCode(await from(attacker).request(LOGIN, { email: uniqueEmail('spray'), password: 'Winter2024!!' }))).toBe('UNAUTHENTICATED');
    }
    // From the flagged address, an account that already has a failure is not guessed at any more...
    expect(errorCode(await from(freshIp()).request(LOGIN, { email: targeted.email, password: 'wrong password 0' }))).toBe('UNAUTHENTICATED');
    const blocked = await from(attacker).request(LOGIN, { email: targeted.email, password: PASSWORD });
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
    // ...but someone else behind the same address (one NAT) still signs in with the right password.
    expect((await login(stack, bystander.email, PASSWORD, attacker)).id).toBe(bystander.id);
    // And the targeted account from another address is fine: the refusal was the address's.
    expect((await login(stack, targeted.email, PASSWORD, freshIp())).id).toBe(targeted.id);
  });
});

describe('refreshToken', () => {
  it('rotates: the new token works, the used one does not', async () => {
    const user = await register(stack);
    const r1 = await stack.api.request(REFRESH, { t: user.refreshToken });
    expect(r1.errors).toBeUndefined();
    const second = r1.data!.refreshToken;
    expect(second.refreshToken).not.toBe(user.refreshToken);
    expect(second.user).toEqual({ id: user.id, email: user.email });
    expect((await stack.api.withToken(second.accessToken).data(ME)).me.id).toBe(user.id);

    const r2 = await stack.api.request(REFRESH, { t: second.refreshToken });
    expect(r2.errors).toBeUndefined();
    expect(r2.data!.refreshToken.user.id).toBe(user.id);

    const again = await stack.api.request(REFRESH, { t: user.refreshToken });
    expect(errorCode(again)).toBe('UNAUTHENTICATED');
    expect(again.data ?? null).toBeNull();
  });

  it('reusing a rotated token revokes the whole family, the newest token included, but not other sessions', async () => {
    const user = await register(stack);
    const other = await login(stack, user.email, PASSWORD); // a second, independent session
    const second = (await stack.api.data(REFRESH, { t: user.refreshToken })).refreshToken;
    const third = (await stack.api.data(REFRESH, { t: second.refreshToken })).refreshToken;

    // The first token leaked and is replayed.
    expect(errorCode(await stack.api.request(REFRESH, { t: user.refreshToken }))).toBe('UNAUTHENTICATED');
    // Now even the newest token of that family is dead.
    expect(errorCode(await stack.api.request(REFRESH, { t: third.refreshToken }))).toBe('UNAUTHENTICATED');
    // The other session (another family) still refreshes.
    const res = await stack.api.request(REFRESH, { t: other.refreshToken });
    expect(res.errors).toBeUndefined();
    expect(res.data!.refreshToken.user.id).toBe(user.id);
  });

  it('refuses garbage and forged tokens with UNAUTHENTICATED', async () => {
    const user = await register(stack);
    const [id] = user.refreshToken.split('.');
    for (const t of ['', 'garbage', `${id}.forged-secret`, `${randomUUID()}.secret`]) {
      expect(errorCode(await stack.api.request(REFRESH, { t }))).toBe('UNAUTHENTICATED');
    }
    // The genuine token was not harmed by the attempts.
    expect((await stack.api.request(REFRESH, { t: user.refreshToken })).errors).toBeUndefined();
  });
});

describe('access tokens', () => {
  let user: Session;
  let kid: string;
  /** An EdDSA JWT shaped like identity's access tokens (jose is ESM-only, so signed by hand). */
  const sign = async (key: KeyObject, claims: Record<string, unknown>, opts: { kid: string; iat: number; exp: number }) => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = b64({ alg: 'EdDSA', kid: opts.kid, typ: 'at+jwt' });
    const payload = b64({
      ...claims,
      sub: user.id,
      iss: 'talent-network/identity',
      aud: 'talent-network',
      iat: opts.iat,
      exp: opts.exp,
      jti: randomUUID(),
    });
    const signature = signBytes(null, Buffer.from(`${header}.${payload}`), key).toString('base64url');
    return `${header}.${payload}.${signature}`;
  };

  beforeAll(async () => {
    user = await register(stack, { roles: ['TALENT', 'CLIENT'] });
    // The key id the gateway looks up, as published in identity's JWKS.
    const jwks = (await (await fetch(`${stack.identity.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    kid = jwks.keys[0].kid;
  });

  const expectNoIdentity = async (token: string) => {
    const api = stack.api.withToken(token);
    const me = await api.request(ME);
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: null });
    const org = await api.request(CREATE_ORG, { n: 'Should Not Exist' });
    expect(errorCode(org)).toBe('UNAUTHENTICATED');
    expect(org.data ?? null).toBeNull();
  };

  it('a well-formed token from the real key still works (control)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(stack.signingKey, { roles: ['TALENT'] }, { kid, iat: now, exp: now + 300 });
    expect((await stack.api.withToken(token).data(ME)).me.id).toBe(user.id);
  });

  it('an expired token yields no identity', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectNoIdentity(await sign(stack.signingKey, { roles: ['TALENT'] }, { kid, iat: now - 3600, exp: now - 1800 }));
  });

  it('a tampered token (roles raised to ADMIN) yields no identity and grants nothing', async () => {
    const [header, payload, signature] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.roles = ['ADMIN'];
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expectNoIdentity(tampered);
    const grant = await stack.api.withToken(tampered).request(GRANT, { u: user.id, r: 'INSPECTOR' });
    expect(errorCode(grant)).toBe('UNAUTHENTICATED');
    expect((await user.api.data(ME)).me.roles).toEqual(['TALENT', 'CLIENT']);
  });

  it('a token signed by another key yields no identity', async () => {
    const now = Math.floor(Date.now() / 1000);
    const foreign = generateKeyPairSync('ed25519').privateKey;
    await expectNoIdentity(await sign(foreign, { roles: ['ADMIN'] }, { kid, iat: now, exp: now + 300 }));
    await expectNoIdentity('not.a.jwt');
  });
});

describe('me and user(id)', () => {
  let alice: Session;
  let bob: Session;
  beforeAll(async () => {
    alice = await register(stack, { displayName: 'Alice' });
    bob = await register(stack, { displayName: 'Bob', roles: ['CLIENT'] });
  });

  it('me is null when anonymous', async () => {
    const res = await stack.api.request(ME);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null });
  });

  it('shows the email to the user themselves', async () => {
    expect((await alice.api.data(ME)).me).toMatchObject({ id: alice.id, email: alice.email, displayName: 'Alice' });
    expect((await alice.api.data(USER, { id: alice.id })).user).toMatchObject({ id: alice.id, email: alice.email });
  });

  it('hides the email from other users and from anonymous callers', async () => {
    expect((await bob.api.data(USER, { id: alice.id })).user).toEqual({ id: alice.id, email: null, displayName: 'Alice', roles: ['TALENT'] });
    expect((await stack.api.data(USER, { id: alice.id })).user).toMatchObject({ id: alice.id, email: null });
  });

  it('shows the email to an admin', async () => {
    expect((await admin.api.data(USER, { id: alice.id })).user).toMatchObject({ id: alice.id, email: alice.email });
  });

  it('user(id) of an unknown or malformed id is null, not an error', async () => {
    for (const id of [randomUUID(), 'nope', '1']) {
      const res = await alice.api.request(USER, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ user: null });
    }
  });
});

describe('grantRole and the bootstrap admin', () => {
  it('the bootstrap admin can sign in and holds ADMIN', async () => {
    const res = await stack.api.request(LOGIN, { email: stack.admin.email.toUpperCase(), password: stack.admin.password });
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.user).toMatchObject({ email: stack.admin.email, roles: expect.arrayContaining(['ADMIN']) });
    expect((await admin.api.data(ME)).me.roles).toContain('ADMIN');
  });

  it('anonymous callers get UNAUTHENTICATED and non-admins FORBIDDEN; nothing changes', async () => {
    const target = await register(stack);
    const anon = await stack.api.request(GRANT, { u: target.id, r: 'INSPECTOR' });
    expect(errorCode(anon)).toBe('UNAUTHENTICATED');
    for (const roles of [['TALENT'], ['CLIENT', 'CONNECTOR']]) {
      const caller = await register(stack, { roles });
      const res = await caller.api.request(GRANT, { u: target.id, r: 'INSPECTOR' });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data ?? null).toBeNull();
      // Granting oneself is refused as well.
      expect(errorCode(await caller.api.request(GRANT, { u: caller.id, r: 'ADMIN' }))).toBe('FORBIDDEN');
    }
    expect((await target.api.data(ME)).me.roles).toEqual(['TALENT']);
  });

  it('an admin grants INSPECTOR; the next session carries it', async () => {
    const target = await register(stack);
    const res = await admin.api.request(GRANT, { u: target.id, r: 'INSPECTOR' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.grantRole).toEqual({ id: target.id, roles: ['TALENT', 'INSPECTOR'] });
    // Granting again changes nothing.
    expect((await admin.api.data(GRANT, { u: target.id, r: 'INSPECTOR' })).grantRole.roles).toEqual(['TALENT', 'INSPECTOR']);
    const fresh = await login(stack, target.email, PASSWORD);
    expect((await fresh.api.data(ME)).me.roles).toEqual(['TALENT', 'INSPECTOR']);
    // The inspector can now do inspector things.
    expect((await fresh.api.request(`{ kycQueue(first: 1) { edges { cursor } } }`)).errors).toBeUndefined();
  });

  it('an unknown user is NOT_FOUND', async () => {
    expect(errorCode(await admin.api.request(GRANT, { u: randomUUID(), r: 'INSPECTOR' }))).toBe('NOT_FOUND');
  });
});

describe('organizations', () => {
  it('a signed-in user creates one, becomes its member, and sees it under me', async () => {
    const owner = await register(stack, { displayName: 'Owner', roles: ['CLIENT'] });
    const res = await owner.api.request(CREATE_ORG, { n: '  Acme Robotics  ' });
    expect(res.errors).toBeUndefined();
    const org = res.data!.createOrganization;
    expect(org).toMatchObject({ name: 'Acme Robotics', members: [{ id: owner.id, displayName: 'Owner', email: owner.email }] });

    const fetched = await stack.api.data(`query ($id: ID!) { organization(id: $id) { id name members { id displayName email } } }`, {
      id: org.id,
    });
    // Anyone may look the organization up; member emails stay hidden from them.
    expect(fetched.organization).toEqual({ id: org.id, name: 'Acme Robotics', members: [{ id: owner.id, displayName: 'Owner', email: null }] });

    const second = await owner.api.data(CREATE_ORG, { n: 'Beta Labs' });
    const me = await owner.api.data(`{ me { organizations { name } } }`);
    expect(me.me.organizations).toEqual([{ name: 'Acme Robotics' }, { name: 'Beta Labs' }]);
    expect(second.createOrganization.members.map((m: { id: string }) => m.id)).toEqual([owner.id]);
  });

  it('anonymous callers get UNAUTHENTICATED; a 1-character name is BAD_USER_INPUT; nothing is created', async () => {
    const user = await register(stack);
    const anon = await stack.api.request(CREATE_ORG, { n: 'Anonymous Inc' });
    expect(errorCode(anon)).toBe('UNAUTHENTICATED');
    const short = await user.api.request(CREATE_ORG, { n: 'X' });
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    expect(short.data ?? null).toBeNull();
    expect((await user.api.data(`{ me { organizations { name } } }`)).me.organizations).toEqual([]);
    const rows = await stack.sql(`SELECT 1 FROM organizations WHERE name IN ('Anonymous Inc', 'X')`);
    expect(rows).toHaveLength(0);
  });

  it('organization(id) of an unknown id is null', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await stack.api.request(`query ($id: ID!) { organization(id: $id) { id } }`, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ organization: null });
    }
  });
});

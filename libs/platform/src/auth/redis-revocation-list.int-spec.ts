import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { RedisRevocationList, REVOCATION_KEY_PREFIX } from './redis-revocation-list';
import type { RevocationList } from './revocation-list';
import { JwksTokenVerifier } from './token-verifier';
import { waitFor } from '@talent/testing';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const inSeconds = (s: number) => Date.now() / 1000 + s;

// Both ways of answering: from Redis (MGET per check), and from the in-memory mirror once it is live.
describe.each([
  ['asking Redis', false],
  ['mirrored in memory', true],
])('RedisRevocationList (real Redis), %s', (_label, mirror) => {
  let list: RedisRevocationList;
  let raw: Redis;

  beforeAll(async () => {
    list = RedisRevocationList.fromUrl(redisUrl, console, { mirror });
    raw = new Redis(redisUrl);
    if (mirror) await waitFor(async () => list.mirrored || undefined, 5_000, { message: 'the mirror is live' });
  });
  afterEach(() => {
    // Each check was answered the way this block says.
    expect(list.mirrored).toBe(mirror);
  });
  afterAll(async () => {
    await list.onApplicationShutdown();
    await raw.quit();
  });

  const token = (overrides: Partial<{ userId: string; tokenId: string; issuedAt: number; sessionId: string }> = {}) => ({
    userId: randomUUID(),
    tokenId: randomUUID(),
    issuedAt: Date.now() / 1000,
    sessionId: randomUUID(),
    ...overrides,
  });

  it('accepts what was never revoked', async () => {
    await expect(list.isRevoked(token())).resolves.toBe(false);
    await expect(list.isRevoked({ ...token(), sessionId: undefined })).resolves.toBe(false);
  });

  it('revokes one token by its id, until it expires (plus the clock skew), in the shared namespace', async () => {
    const t = token();
    await list.revokeToken(t.tokenId, inSeconds(600));
    await expect(list.isRevoked(t)).resolves.toBe(true);
    await expect(list.isRevoked({ ...t, tokenId: randomUUID() })).resolves.toBe(false);
    const ttl = await raw.ttl(`${REVOCATION_KEY_PREFIX}revoked:token:${t.tokenId}`);
    expect(ttl).toBeGreaterThan(600);
    expect(ttl).toBeLessThanOrEqual(661);
  });

  it('revokes every token of a session', async () => {
    const t = token();
    await list.revokeSession(t.sessionId, inSeconds(900));
    await expect(list.isRevoked({ ...t, tokenId: randomUUID() })).resolves.toBe(true);
    await expect(list.isRevoked({ ...t, sessionId: randomUUID() })).resolves.toBe(false);
  });

  it('revokes the tokens of a user issued before an instant, to the millisecond, and never moves the instant back', async () => {
    const userId = randomUUID();
    const at = Date.now();
    await list.revokeIssuedBefore(userId, at, inSeconds(900));
    await expect(list.isRevoked(token({ userId, issuedAt: (at - 1) / 1000 }))).resolves.toBe(true);
    await expect(list.isRevoked(token({ userId, issuedAt: (at + 1) / 1000 }))).resolves.toBe(false);
    await expect(list.isRevoked(token({ issuedAt: (at - 1) / 1000 }))).resolves.toBe(false); // another user
    // An earlier revocation arriving late does not undo the later one.
    await list.revokeIssuedBefore(userId, at - 60_000, inSeconds(900));
    await expect(list.isRevoked(token({ userId, issuedAt: (at - 1) / 1000 }))).resolves.toBe(true);
    await list.revokeIssuedBefore(userId, at + 5_000, inSeconds(900));
    await expect(list.isRevoked(token({ userId, issuedAt: (at + 1) / 1000 }))).resolves.toBe(true);
  });
});

describe('RedisRevocationList mirrored in memory, across processes', () => {
  // Each list is what one process holds (the gateway, a subgraph); the writer is identity.
  let writer: RedisRevocationList;
  let reader: RedisRevocationList;
  let raw: Redis;
  let mget: jest.SpyInstance;
  const live = (list: RedisRevocationList) => waitFor(async () => list.mirrored || undefined, 5_000, { message: 'the mirror is live' });
  const token = () => ({ userId: randomUUID(), tokenId: randomUUID(), issuedAt: Date.now() / 1000, sessionId: randomUUID() });

  beforeAll(async () => {
    raw = new Redis(redisUrl);
    writer = RedisRevocationList.fromUrl(redisUrl, console, { mirror: false });
    reader = RedisRevocationList.fromUrl(redisUrl, console);
    await live(reader);
  });
  beforeEach(() => {
    mget = jest.spyOn(Redis.prototype, 'mget');
  });
  afterEach(() => mget.mockRestore());
  afterAll(async () => {
    await Promise.all([writer.onApplicationShutdown(), reader.onApplicationShutdown()]);
    await raw.quit();
  });

  it("sees another process's revocations without asking Redis", async () => {
    const t = token();
    await expect(reader.isRevoked(t)).resolves.toBe(false);
    await writer.revokeToken(t.tokenId, inSeconds(600));
    // Published before the writer's reply: here, one more round trip on another connection is enough for it to have arrived.
    await raw.ping();
    await expect(reader.isRevoked(t)).resolves.toBe(true);
    const sessionEnded = token();
    await writer.revokeSession(sessionEnded.sessionId, inSeconds(600));
    const userId = randomUUID();
    await writer.revokeIssuedBefore(userId, Date.now(), inSeconds(600));
    await raw.ping();
    await expect(reader.isRevoked({ ...sessionEnded, tokenId: randomUUID() })).resolves.toBe(true);
    await expect(reader.isRevoked({ ...token(), userId, issuedAt: Date.now() / 1000 - 10 })).resolves.toBe(true);
    await expect(reader.isRevoked({ ...token(), userId, issuedAt: Date.now() / 1000 + 1 })).resolves.toBe(false);
    expect(mget).not.toHaveBeenCalled();
  });

  it('starts with what was revoked before it started (a snapshot taken after subscribing)', async () => {
    const t = token();
    await writer.revokeSession(t.sessionId, inSeconds(600));
    const late = RedisRevocationList.fromUrl(redisUrl, console);
    try {
      await live(late);
      mget.mockClear();
      await expect(late.isRevoked({ ...t, tokenId: randomUUID() })).resolves.toBe(true);
      await expect(late.isRevoked(token())).resolves.toBe(false);
      expect(mget).not.toHaveBeenCalled();
    } finally {
      await late.onApplicationShutdown();
    }
  });

  it('after losing its subscription, has what was revoked meanwhile once it answers from memory again', async () => {
    const mirrors = async () =>
      String(await raw.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
        .split('\n')
        .filter((line) => line.includes(' name=revocation-mirror '))
        .map((line) => /^id=(\d+)/.exec(line)?.[1]);
    const before = await mirrors();
    for (const id of before) await raw.call('CLIENT', 'KILL', 'ID', id!);
    const t = token();
    await writer.revokeToken(t.tokenId, inSeconds(600)); // its publish may reach no mirror
    // Until it is live again, it asks Redis; after, it holds the revocation from its new snapshot.
    await expect(reader.isRevoked(t)).resolves.toBe(true);
    await live(reader);
    expect((await mirrors()).some((id) => before.includes(id))).toBe(false);
    mget.mockClear();
    await expect(reader.isRevoked(t)).resolves.toBe(true);
    expect(mget).not.toHaveBeenCalled();
  });
});

describe('JwksTokenVerifier with a revocation list', () => {
  const issuer = 'talent-network/identity';
  const audience = 'talent-network';
  let sign: (claims: Record<string, unknown>, iat?: number) => Promise<string>;
  let verifier: JwksTokenVerifier;
  let list: RedisRevocationList;
  let keys: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
    sign = (claims, iat = Date.now() / 1000) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor(iat) + 600)
        .sign(privateKey);
    list = RedisRevocationList.fromUrl(redisUrl, console);
    keys = createLocalJWKSet({ keys: [jwk] });
    verifier = new JwksTokenVerifier(keys, { issuer, audience }, list);
  });
  afterAll(() => list.onApplicationShutdown());

  it('returns the caller with the token it presented, and null once the token is revoked', async () => {
    const userId = randomUUID();
    const jti = randomUUID();
    const sid = randomUUID();
    const token = await sign({ sub: userId, roles: ['CLIENT'], jti, sid });
    const caller = await verifier.verify(token);
    expect(caller).toMatchObject({
      id: userId,
      roles: ['CLIENT'],
      token: { id: jti, sessionId: sid, issuedAt: expect.any(Number), expiresAt: expect.any(Number) },
    });
    await list.revokeIssuedBefore(userId, Date.now(), Date.now() / 1000 + 600);
    await expect(verifier.verify(token)).resolves.toBeNull();
    // A token issued after the revocation is accepted.
    await new Promise((r) => setTimeout(r, 5));
    await expect(verifier.verify(await sign({ sub: userId, roles: ['TALENT'], jti: randomUUID(), sid }))).resolves.toMatchObject({
      id: userId,
      roles: ['TALENT'],
    });
  });

  it('refuses a token without jti (it could not be revoked)', async () => {
    await expect(verifier.verify(await sign({ sub: randomUUID(), roles: ['TALENT'] }))).resolves.toBeNull();
  });

  it('fails, rather than accepting the token, when the list cannot answer', async () => {
    const down: RevocationList = { isRevoked: () => Promise.reject(new Error('Connection is closed.')) };
    const failClosed = new JwksTokenVerifier(keys, { issuer, audience }, down);
    await expect(failClosed.verify(await sign({ sub: randomUUID(), roles: ['TALENT'], jti: randomUUID() }))).rejects.toThrow('Connection is closed.');
  });
});

import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { RedisRevocationList, REVOCATION_CHANNEL, REVOCATION_KEY_PREFIX } from './redis-revocation-list';
import { RevocationMirror } from './revocation-mirror';
import type { RevocationList } from './revocation-list';
import { JwksTokenVerifier } from './token-verifier';
import { waitFor } from '@talent/testing';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const inSeconds = (s: number) => Date.now() / 1000 + s;
const anyToken = () => ({ userId: randomUUID(), tokenId: randomUUID(), issuedAt: Date.now() / 1000 });
/** A list mirrors from its first check on: checks until it answers from memory. */
const mirrorLive = (list: RedisRevocationList) =>
  waitFor(async () => (await list.isRevoked(anyToken()), list.mirrored || undefined), 5_000, { message: 'the mirror is live' });
/** A TCP proxy to Redis that can go silent: nothing closes, nothing crosses (a half-open connection). */
async function silenceableProxy() {
  let silent = false;
  const sockets = new Set<Socket>();
  const target = new URL(redisUrl);
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (client.destroy(), upstream.destroy()));
    }
    client.on('data', (chunk) => silent || upstream.write(chunk));
    upstream.on('data', (chunk) => silent || client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    silence: (on: boolean) => void (silent = on),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The ids of this process's mirror subscriptions (other runs on the same Redis keep theirs). */
const ownMirrors = async (raw: Redis) =>
  String(await raw.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
    .split('\n')
    .filter((line) => line.includes(` name=revocation-mirror-${process.pid}-`))
    .map((line) => /^id=(\d+)/.exec(line)![1]);

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
    if (mirror) await mirrorLive(list);
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
  const live = mirrorLive;
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
    const before = await ownMirrors(raw);
    expect(before.length).toBeGreaterThan(0);
    for (const id of before) await raw.call('CLIENT', 'KILL', 'ID', id);
    const t = token();
    await writer.revokeToken(t.tokenId, inSeconds(600)); // its publish may reach no mirror
    // Until it is live again, it asks Redis; after, it holds the revocation from its new snapshot.
    await expect(reader.isRevoked(t)).resolves.toBe(true);
    await live(reader);
    mget.mockClear();
    await expect(reader.isRevoked(t)).resolves.toBe(true);
    expect(mget).not.toHaveBeenCalled();
  });
});

describe('RevocationMirror, its guards', () => {
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(redisUrl);
  });
  afterAll(async () => {
    await raw.quit();
  });

  it("applies its own process's change at once, without waiting for the subscription to deliver it", async () => {
    // Its mirror listens on a channel nobody publishes on: only the writer's own apply can make it known.
    const redis = new Redis(redisUrl, { keyPrefix: REVOCATION_KEY_PREFIX });
    const mirror = new RevocationMirror(redis, console, { channel: `unused-${randomUUID()}`, keyPrefix: REVOCATION_KEY_PREFIX });
    const own = new RedisRevocationList(redis, mirror);
    const mget = jest.spyOn(Redis.prototype, 'mget');
    try {
      await mirrorLive(own);
      const t = anyToken();
      await own.revokeToken(t.tokenId, inSeconds(600));
      mget.mockClear();
      await expect(own.isRevoked(t)).resolves.toBe(true);
      expect(mget).not.toHaveBeenCalled();
    } finally {
      mget.mockRestore();
      await own.onApplicationShutdown();
    }
  });

  it('stops answering from memory when its subscription goes silent (no answer to its ping), then comes back', async () => {
    const proxy = await silenceableProxy();
    const list = RedisRevocationList.fromUrl(proxy.url, { warn: () => undefined }, { healthCheckMs: 200 });
    try {
      await mirrorLive(list);
      // A partition: the subscription stays open, but nothing crosses it any more.
      proxy.silence(true);
      await waitFor(async () => !list.mirrored || undefined, 2_000, { message: 'the silent subscription is noticed', intervalMs: 20 });
      proxy.silence(false);
      await mirrorLive(list);
    } finally {
      proxy.silence(false);
      await list.onApplicationShutdown();
      await proxy.close();
    }
  });

  it('ignores a malformed change, whoever published it', async () => {
    const list = RedisRevocationList.fromUrl(redisUrl, console);
    try {
      await mirrorLive(list);
      const t = anyToken();
      await list.revokeToken(t.tokenId, inSeconds(600));
      const key = `${REVOCATION_KEY_PREFIX}revoked:token:${t.tokenId}`;
      // A NaN expiry merged in would unlist the token.
      await raw.publish(REVOCATION_CHANNEL, JSON.stringify({ key, value: '1', ttlMs: 'soon' }));
      await raw.publish(REVOCATION_CHANNEL, 'not json');
      await raw.ping();
      await expect(list.isRevoked(t)).resolves.toBe(true);
      expect(list.mirrored).toBe(true);
    } finally {
      await list.onApplicationShutdown();
    }
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

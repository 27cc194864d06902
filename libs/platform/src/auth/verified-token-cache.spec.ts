import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { AuthUser } from './auth-user';
import { RevocationList, type TokenIdentity } from './revocation-list';
import { JwksTokenVerifier } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

const userExpiringAt = (expiresAtSeconds: number): AuthUser => ({
  id: randomUUID(),
  roles: ['TALENT'],
  token: { id: randomUUID(), issuedAt: 0, expiresAt: expiresAtSeconds },
});

describe('VerifiedTokenCache', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('forgets a token when it expires', () => {
    const cache = new VerifiedTokenCache(10, 300_000, clock);
    const user = userExpiringAt(now / 1000 + 60);
    cache.set('t', user);
    expect(cache.get('t')).toBe(user);
    now += 59_999;
    expect(cache.get('t')).toBe(user);
    now += 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps no token longer than its maximum age, even one that expires later', () => {
    const cache = new VerifiedTokenCache(10, 5_000, clock);
    cache.set('t', userExpiringAt(now / 1000 + 3600));
    now += 5_000;
    expect(cache.get('t')).toBeUndefined();
  });

  it('does not keep an expired token or a caller without token claims', () => {
    const cache = new VerifiedTokenCache(10, 300_000, clock);
    cache.set('expired', userExpiringAt(now / 1000 - 1));
    cache.set('claimless', { id: randomUUID(), roles: [] });
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(2, 300_000, clock);
    const exp = now / 1000 + 600;
    cache.set('a', userExpiringAt(exp));
    cache.set('b', userExpiringAt(exp));
    cache.get('a'); // a is now more recent than b
    cache.set('c', userExpiringAt(exp));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});

describe('JwksTokenVerifier with its verified-token cache', () => {
  const expected = { issuer: 'talent-network/identity', audience: 'talent-network' };

  class MemoryRevocationList extends RevocationList {
    readonly revoked = new Set<string>();
    checks = 0;
    async isRevoked(token: TokenIdentity): Promise<boolean> {
      this.checks++;
      return this.revoked.has(token.tokenId);
    }
  }

  async function setUp() {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const local = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] });
    // Every signature check looks its key up: counting lookups counts verifications.
    const keys = jest.fn(local) as unknown as JWTVerifyGetKey & jest.Mock;
    const sign = (claims: Record<string, unknown>, ttlSeconds = 600) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(expected.issuer)
        .setAudience(expected.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey);
    const list = new MemoryRevocationList();
    return { keys, sign, list, verifier: new JwksTokenVerifier(keys, expected, list) };
  }

  it('checks a token signature once, and the revocation list on every request', async () => {
    const { keys, sign, list, verifier } = await setUp();
    const jti = randomUUID();
    const token = await sign({ sub: randomUUID(), roles: ['CLIENT'], jti });
    for (let i = 0; i < 3; i++) await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['CLIENT'] });
    expect(keys).toHaveBeenCalledTimes(1);
    expect(list.checks).toBe(3);

    list.revoked.add(jti);
    await expect(verifier.verify(token)).resolves.toBeNull();
  });

  it('does not remember a token that failed verification', async () => {
    const { keys, sign, verifier } = await setUp();
    const bad = `${await sign({ sub: randomUUID(), roles: ['CLIENT'], jti: randomUUID() })}x`;
    await expect(verifier.verify(bad)).resolves.toBeNull();
    await expect(verifier.verify(bad)).resolves.toBeNull();
    expect(keys).toHaveBeenCalledTimes(2);
  });
});

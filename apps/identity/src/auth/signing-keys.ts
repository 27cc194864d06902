import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, SignJWT, type JWK } from 'jose';
import type { Role } from '@talent/events';

/**
 * The Ed25519 key that signs access tokens, and the public JWKS that subgraphs and
 * the gateway verify with. The key id is the key's JWK thumbprint, so a rotated key
 * gets a new `kid` by itself.
 */
export class SigningKeys {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicJwk: JWK,
  ) {}

  static async fromPem(pem: string | undefined, onGenerated?: () => void): Promise<SigningKeys> {
    let privateKey: KeyObject;
    if (pem) {
      privateKey = createPrivateKey(pem.replace(/\\n/g, '\n'));
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 key');
    } else {
      privateKey = generateKeyPairSync('ed25519').privateKey;
      onGenerated?.();
    }
    const jwk = await exportJWK(createPublicKey(privateKey));
    const kid = await calculateJwkThumbprint(jwk);
    return new SigningKeys(privateKey, { ...jwk, kid, alg: 'EdDSA', use: 'sig' });
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  localKeySet() {
    return createLocalJWKSet(this.jwks);
  }

  /**
   * `sid` names the sign-in session (refresh-token family), so signing out revokes every access
   * token of the session. `iat` keeps milliseconds (a NumericDate may be fractional): a
   * revocation at an instant must tell the tokens issued just before it from those just after.
   */
  sign(claims: { sub: string; roles: Role[]; sid: string }, options: { issuer: string; audience: string; ttlSeconds: number; jti: string; now?: number }) {
    const now = options.now ?? Date.now();
    return new SignJWT({ roles: claims.roles, sid: claims.sid })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(now / 1000)
      .setJti(options.jti)
      .setExpirationTime(Math.floor(now / 1000) + options.ttlSeconds)
      .sign(this.privateKey);
  }
}

import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt parameters: N=2^15, r=8 (32 MiB per hash), p=1, as OWASP recommends for scrypt. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * Memory-hard password hashing with Node's built-in scrypt. The stored string carries
 * its parameters (`scrypt$N$r$p$salt$hash`), so they can be raised later without
 * breaking existing hashes (see `needsRehash`).
 */
export class PasswordHasher {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 128 * PARAMS.N * PARAMS.r * 2 });
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const options = { N: Number(n), r: Number(r), p: Number(p) };
    const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
      ...options,
      maxmem: 128 * options.N * options.r * 2,
    });
    return timingSafeEqual(key, expected);
  }

  needsRehash(stored: string): boolean {
    const [, n, r, p] = stored.split('$');
    return Number(n) !== PARAMS.N || Number(r) !== PARAMS.r || Number(p) !== PARAMS.p;
  }
}

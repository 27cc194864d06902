import { randomBytes, scryptSync } from 'node:crypto';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
    for (const wrong of ['correct horse battery stapl', 'Correct horse battery staple', 'correct horse battery staple ', '']) {
      await expect(hasher.verify(wrong, stored)).resolves.toBe(false);
    }
  });

  it('stores scheme and parameters with the hash, never the password', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
  });

  it('salts every hash: the same password hashes differently, and each verifies', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password 123'), hasher.hash('same password 123')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    await expect(hasher.verify('same password 123', a)).resolves.toBe(true);
    await expect(hasher.verify('same password 123', b)).resolves.toBe(true);
  });

  it('normalizes unicode (NFKC), so the same password typed differently still verifies', async () => {
    const stored = await hasher.hash('caf\u00e9 password');
    await expect(hasher.verify('cafe\u0301 password', stored)).resolves.toBe(true);
  });

  it('refuses hashes of another scheme or malformed ones', async () => {
    await expect(hasher.verify('anything at all', '')).resolves.toBe(false);
    await expect(hasher.verify('anything at all', '$2b$12$abcdefghijklmnopqrstuv')).resolves.toBe(false);
    await expect(hasher.verify('anything at all', 'scrypt$32768$8$1$')).resolves.toBe(false);
  });

  it('verifies hashes made with older parameters and flags them for a rehash', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('old password 1234', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    await expect(hasher.verify('old password 1234', old)).resolves.toBe(true);
    await expect(hasher.verify('old password 12345', old)).resolves.toBe(false);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('old password 1234'))).toBe(false);
  });
});

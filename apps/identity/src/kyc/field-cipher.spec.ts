import { randomBytes } from 'node:crypto';
import { FieldCipher } from './field-cipher';

describe('FieldCipher', () => {
  const key = randomBytes(32);
  const cipher = new FieldCipher(key);
  const caseId = '5f0c6a3e-8f7b-4a53-9a52-1f0a2b3c4d5e';
  const aad = (field: string, id = caseId) => `kyc_cases:${id}:${field}`;

  /** Replaces one base64url part of `v1.<iv>.<tag>.<ciphertext>` with a copy that has one bit flipped. */
  const flipBit = (stored: string, part: 1 | 2 | 3): string => {
    const parts = stored.split('.');
    const bytes = Buffer.from(parts[part], 'base64url');
    bytes[0] ^= 0x01;
    parts[part] = bytes.toString('base64url');
    return parts.join('.');
  };

  it('round-trips a value, unicode included', () => {
    for (const value of ['ZX9081726354', 'Zoë Ångström-Nakamura 山田', '1990-04-12', '']) {
      const stored = cipher.encrypt(value, aad('legal_name'));
      expect(cipher.decrypt(stored, aad('legal_name'))).toBe(value);
    }
  });

  it('stores a versioned value that does not contain the plaintext', () => {
    const stored = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain('ZX9081726354');
    expect(Buffer.from(stored.split('.')[3], 'base64url').toString('latin1')).not.toContain('ZX9081726354');
  });

  it('uses a fresh IV for every value: the same plaintext encrypts differently', () => {
    const a = cipher.encrypt('ZX9081726354', aad('document_number'));
    const b = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(cipher.decrypt(a, aad('document_number'))).toBe(cipher.decrypt(b, aad('document_number')));
  });

  it('refuses a ciphertext moved to another row', () => {
    const stored = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(() => cipher.decrypt(stored, aad('document_number', '00000000-0000-4000-8000-000000000000'))).toThrow();
  });

  it('refuses a ciphertext moved to another column', () => {
    const stored = cipher.encrypt('1990-04-12', aad('date_of_birth'));
    expect(() => cipher.decrypt(stored, aad('legal_name'))).toThrow();
    expect(() => cipher.decrypt(stored, aad('document_number'))).toThrow();
  });

  it.each([
    ['the ciphertext', 3],
    ['the authentication tag', 2],
    ['the IV', 1],
  ] as const)('detects tampering with %s', (_, part) => {
    const stored = cipher.encrypt('Ada Quinn Lovelace', aad('legal_name'));
    expect(() => cipher.decrypt(flipBit(stored, part), aad('legal_name'))).toThrow();
  });

  it('detects a truncated or extended ciphertext and a missing tag', () => {
    const stored = cipher.encrypt('Ada Quinn Lovelace', aad('legal_name'));
    const [v, iv, tag, ct] = stored.split('.');
    const ctBytes = Buffer.from(ct, 'base64url');
    expect(() => cipher.decrypt([v, iv, tag, ctBytes.subarray(0, -1).toString('base64url')].join('.'), aad('legal_name'))).toThrow();
    expect(() => cipher.decrypt([v, iv, tag, Buffer.concat([ctBytes, Buffer.from([0])]).toString('base64url')].join('.'), aad('legal_name'))).toThrow();
    expect(() => cipher.decrypt([v, iv, '', ct].join('.'), aad('legal_name'))).toThrow();
  });

  it('refuses unknown formats', () => {
    const stored = cipher.encrypt('x', aad('legal_name'));
    expect(() => cipher.decrypt(stored.replace(/^v1\./, 'v2.'), aad('legal_name'))).toThrow('Unknown ciphertext format');
    expect(() => cipher.decrypt('plaintext', aad('legal_name'))).toThrow('Unknown ciphertext format');
  });

  it('does not decrypt with another key', () => {
    const stored = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(() => new FieldCipher(randomBytes(32)).decrypt(stored, aad('document_number'))).toThrow();
    expect(new FieldCipher(Buffer.from(key)).decrypt(stored, aad('document_number'))).toBe('ZX9081726354');
  });

  it('needs a 32-byte key', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow('32-byte');
    expect(() => new FieldCipher(randomBytes(33))).toThrow('32-byte');
  });
});

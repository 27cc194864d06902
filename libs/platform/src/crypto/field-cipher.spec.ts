import { createCipheriv, randomBytes } from 'node:crypto';
import { FieldCipher, parseKeyRing } from './field-cipher';

/** A value as the cipher wrote it before key ids existed: `v1.<iv>.<tag>.<ciphertext>`. */
function legacyEncrypt(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

describe('FieldCipher', () => {
  const key = randomBytes(32);
  const cipher = new FieldCipher(key);
  const caseId = '5f0c6a3e-8f7b-4a53-9a52-1f0a2b3c4d5e';
  const aad = (field: string, id = caseId) => `kyc_cases:${id}:${field}`;

  /** Replaces one base64url part of `v2.<keyId>.<iv>.<tag>.<ciphertext>` with a copy that has one bit flipped. */
  const flipBit = (stored: string, part: 2 | 3 | 4): string => {
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

  it('stores a versioned value, naming its key, that does not contain the plaintext', () => {
    const stored = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(stored).toMatch(/^v2\.default\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(FieldCipher.keyIdOf(stored)).toBe('default');
    expect(stored).not.toContain('ZX9081726354');
    expect(Buffer.from(stored.split('.')[4], 'base64url').toString('latin1')).not.toContain('ZX9081726354');
  });

  it('uses a fresh IV for every value: the same plaintext encrypts differently', () => {
    const a = cipher.encrypt('ZX9081726354', aad('document_number'));
    const b = cipher.encrypt('ZX9081726354', aad('document_number'));
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
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
    ['the ciphertext', 4],
    ['the authentication tag', 3],
    ['the IV', 2],
  ] as const)('detects tampering with %s', (_, part) => {
    const stored = cipher.encrypt('Ada Quinn Lovelace', aad('legal_name'));
    expect(() => cipher.decrypt(flipBit(stored, part), aad('legal_name'))).toThrow();
  });

  it('detects a truncated or extended ciphertext and a missing tag', () => {
    const stored = cipher.encrypt('Ada Quinn Lovelace', aad('legal_name'));
    const [v, kid, iv, tag, ct] = stored.split('.');
    const ctBytes = Buffer.from(ct, 'base64url');
    expect(() => cipher.decrypt([v, kid, iv, tag, ctBytes.subarray(0, -1).toString('base64url')].join('.'), aad('legal_name'))).toThrow();
    expect(() => cipher.decrypt([v, kid, iv, tag, Buffer.concat([ctBytes, Buffer.from([0])]).toString('base64url')].join('.'), aad('legal_name'))).toThrow();
    expect(() => cipher.decrypt([v, kid, iv, '', ct].join('.'), aad('legal_name'))).toThrow();
  });

  it('refuses unknown formats', () => {
    const stored = cipher.encrypt('x', aad('legal_name'));
    expect(() => cipher.decrypt(stored.replace(/^v2\./, 'v3.'), aad('legal_name'))).toThrow('Unknown ciphertext format');
    expect(() => cipher.decrypt(stored.replace(/^v2\.default\./, 'v2.'), aad('legal_name'))).toThrow('Unknown ciphertext format');
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
    expect(() => new FieldCipher({ keys: new Map([['k1', randomBytes(16)]]), currentKeyId: 'k1' })).toThrow('32-byte');
  });
});

describe('FieldCipher key rotation', () => {
  const aad = 'kyc_cases:5f0c6a3e-8f7b-4a53-9a52-1f0a2b3c4d5e:legal_name';
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const before = new FieldCipher(oldKey);
  const rotated = new FieldCipher({
    keys: new Map([
      ['default', oldKey],
      ['2025-06', newKey],
    ]),
    currentKeyId: '2025-06',
  });

  it('writes with the current key and names it; reads what older keys wrote', () => {
    const old = before.encrypt('Ada Lovelace', aad);
    const fresh = rotated.encrypt('Ada Lovelace', aad);
    expect(FieldCipher.keyIdOf(old)).toBe('default');
    expect(FieldCipher.keyIdOf(fresh)).toBe('2025-06');
    expect(rotated.decrypt(old, aad)).toBe('Ada Lovelace');
    expect(rotated.decrypt(fresh, aad)).toBe('Ada Lovelace');
    // The new key alone reads new values, not old ones: the old key stays in the ring until no value uses it.
    const newOnly = new FieldCipher({ keys: new Map([['2025-06', newKey]]), currentKeyId: '2025-06' });
    expect(newOnly.decrypt(fresh, aad)).toBe('Ada Lovelace');
    expect(() => newOnly.decrypt(old, aad)).toThrow('Unknown encryption key id "default"');
    // The old key alone cannot read what the new one wrote.
    expect(() => before.decrypt(fresh, aad)).toThrow('Unknown encryption key id "2025-06"');
  });

  it('reads values written before key ids existed with whichever key of the ring wrote them', () => {
    const legacy = legacyEncrypt(oldKey, 'ZX9081726354', aad);
    expect(FieldCipher.keyIdOf(legacy)).toBeNull();
    expect(before.decrypt(legacy, aad)).toBe('ZX9081726354');
    expect(rotated.decrypt(legacy, aad)).toBe('ZX9081726354');
    // The old key moved into the ring under another id: still found.
    expect(
      new FieldCipher({
        keys: new Map([
          ['new', newKey],
          ['old', oldKey],
        ]),
        currentKeyId: 'new',
      }).decrypt(legacy, aad),
    ).toBe('ZX9081726354');
    // No key of the ring wrote it, or it was moved to another row: refused.
    expect(() => new FieldCipher(newKey).decrypt(legacy, aad)).toThrow('No key of the ring decrypts this value');
    expect(() => rotated.decrypt(legacy, aad.replace('legal_name', 'document_number'))).toThrow();
  });

  it('a key id cannot be swapped to make another key try a value', () => {
    const fresh = rotated.encrypt('Ada Lovelace', aad);
    expect(() => rotated.decrypt(fresh.replace('.2025-06.', '.default.'), aad)).toThrow();
  });

  it('refuses a ring whose current key is missing or whose ids would break the format', () => {
    expect(() => new FieldCipher({ keys: new Map([['a', oldKey]]), currentKeyId: 'b' })).toThrow('not in the ring');
    expect(() => new FieldCipher({ keys: new Map([['a.b', oldKey]]), currentKeyId: 'a.b' })).toThrow('key id');
    expect(() => new FieldCipher({ keys: new Map(), currentKeyId: 'a' })).toThrow('at least one key');
  });
});

describe('parseKeyRing', () => {
  const k = () => randomBytes(32).toString('base64');

  it('is null without keys; the single KYC_ENCRYPTION_KEY is the key `default`', () => {
    expect(parseKeyRing({})).toBeNull();
    const single = k();
    const ring = parseKeyRing({ KYC_ENCRYPTION_KEY: single })!;
    expect(ring.currentKeyId).toBe('default');
    expect([...ring.keys.keys()]).toEqual(['default']);
    expect(ring.keys.get('default')!.toString('base64')).toBe(single);
  });

  it('adds KYC_ENCRYPTION_KEYS to it; KYC_ENCRYPTION_KEY_ID picks the key for new writes', () => {
    const [a, b, old] = [k(), k(), k()];
    const ring = parseKeyRing({ KYC_ENCRYPTION_KEY: old, KYC_ENCRYPTION_KEYS: ` k1:${a} , k2:${b} `, KYC_ENCRYPTION_KEY_ID: 'k2' })!;
    expect(ring.currentKeyId).toBe('k2');
    expect([...ring.keys.keys()].sort()).toEqual(['default', 'k1', 'k2']);
    expect(ring.keys.get('k1')!.toString('base64')).toBe(a);
    // One key: it is the current one without naming it.
    expect(parseKeyRing({ KYC_ENCRYPTION_KEYS: `only:${a}` })!.currentKeyId).toBe('only');
  });

  it.each([
    [
      'several keys and no current id',
      { KYC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')},k2:${randomBytes(32).toString('base64')}` },
      /^KYC_ENCRYPTION_KEY_ID: required when several keys/,
    ],
    [
      'a current id not in the ring',
      { KYC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, KYC_ENCRYPTION_KEY_ID: 'k9' },
      /^KYC_ENCRYPTION_KEY_ID: "k9" is not among/,
    ],
    ['a current id without keys', { KYC_ENCRYPTION_KEY_ID: 'k1' }, /^KYC_ENCRYPTION_KEY_ID: names a key/],
    ['a short key', { KYC_ENCRYPTION_KEYS: `k1:${randomBytes(16).toString('base64')}` }, /^KYC_ENCRYPTION_KEYS: key "k1" must be 32 bytes/],
    ['an entry without an id', { KYC_ENCRYPTION_KEYS: randomBytes(32).toString('base64') }, /^KYC_ENCRYPTION_KEYS: each entry must be <id>:<base64 key>/],
    ['an id with a dot', { KYC_ENCRYPTION_KEYS: `a.b:${randomBytes(32).toString('base64')}` }, /^KYC_ENCRYPTION_KEYS: each entry/],
    [
      'an id given twice',
      { KYC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`, KYC_ENCRYPTION_KEY_ID: 'k1' },
      /appears twice/,
    ],
    [
      'the id `default` for another key than KYC_ENCRYPTION_KEY',
      { KYC_ENCRYPTION_KEY: randomBytes(32).toString('base64'), KYC_ENCRYPTION_KEYS: `default:${randomBytes(32).toString('base64')}` },
      /key id "default" is KYC_ENCRYPTION_KEY's/,
    ],
  ])('refuses %s', (_, env, message) => {
    expect(() => parseKeyRing(env)).toThrow(message);
  });

  it('never puts a key in its messages', () => {
    const secret = randomBytes(16).toString('base64');
    expect(() => parseKeyRing({ KYC_ENCRYPTION_KEYS: `k1:${secret}` })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }));
  });
});

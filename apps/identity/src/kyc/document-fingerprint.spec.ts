import { createHash, randomBytes } from 'node:crypto';
import { DocumentFingerprinter, normalizeDocumentNumber } from './document-fingerprint';

describe('DocumentFingerprinter', () => {
  const key = randomBytes(32);
  const fingerprinter = new DocumentFingerprinter(key);
  const passport = { documentType: 'PASSPORT', country: 'GB', documentNumber: 'ZX9081726354' } as const;

  it('gives the same fingerprint for the same document however it was typed', () => {
    const expected = fingerprinter.fingerprint(passport);
    for (const documentNumber of ['ZX9081726354', 'zx9081726354', 'ZX 9081 7263 54', 'zx-908-172-6354', ' Zx-9081 726354 ', 'ZX\t9081726354']) {
      expect(fingerprinter.fingerprint({ ...passport, documentNumber })).toBe(expected);
    }
    expect(fingerprinter.fingerprint({ ...passport, country: 'gb' })).toBe(expected);
    // Deterministic across instances holding the same key.
    expect(new DocumentFingerprinter(Buffer.from(key)).fingerprint(passport)).toBe(expected);
  });

  it('tells documents apart by number, type and country', () => {
    const base = fingerprinter.fingerprint(passport);
    const others = [
      fingerprinter.fingerprint({ ...passport, documentNumber: 'ZX9081726355' }),
      fingerprinter.fingerprint({ ...passport, documentNumber: 'ZX908172635' }),
      fingerprinter.fingerprint({ ...passport, documentType: 'ID_CARD' }),
      fingerprinter.fingerprint({ ...passport, documentType: 'DRIVERS_LICENSE' }),
      fingerprinter.fingerprint({ ...passport, country: 'IE' }),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
  });

  it('does not let fields run into each other', () => {
    // Without a separator, "GB" + "1234567" and "GB1" + "234567" would hash the same input.
    const a = fingerprinter.fingerprint({ documentType: 'PASSPORT', country: 'GB', documentNumber: '1234567' });
    const b = fingerprinter.fingerprint({ documentType: 'PASSPORT', country: 'GB1', documentNumber: '234567' });
    expect(a).not.toBe(b);
  });

  it('depends on the key: another key gives another fingerprint', () => {
    expect(new DocumentFingerprinter(randomBytes(32)).fingerprint(passport)).not.toBe(fingerprinter.fingerprint(passport));
  });

  it('is an opaque 256-bit value that neither contains the number nor is its plain hash', () => {
    const value = fingerprinter.fingerprint(passport);
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    for (const part of ['ZX9081726354', '9081726354', '6354', 'zx9081726354']) expect(value.toLowerCase()).not.toContain(part.toLowerCase());
    expect(Buffer.from(value, 'hex').toString('latin1')).not.toContain('9081726354');
    for (const input of ['ZX9081726354', 'PASSPORT\nGB\nZX9081726354', 'kyc-document:v1\nPASSPORT\nGB\nZX9081726354']) {
      expect(value).not.toBe(createHash('sha256').update(input).digest('hex'));
    }
  });

  it('needs a 32-byte key', () => {
    expect(() => new DocumentFingerprinter(randomBytes(16))).toThrow('32-byte');
    expect(() => new DocumentFingerprinter(randomBytes(33))).toThrow('32-byte');
  });

  it('keeps its own copy of the key', () => {
    const mutable = Buffer.from(key);
    const own = new DocumentFingerprinter(mutable);
    const before = own.fingerprint(passport);
    mutable.fill(0);
    expect(own.fingerprint(passport)).toBe(before);
  });
});

describe('normalizeDocumentNumber', () => {
  it('strips spaces and dashes and upper-cases', () => {
    expect(normalizeDocumentNumber(' ab-123 456-7890 ')).toBe('AB1234567890');
  });
});

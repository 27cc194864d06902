import { CODE_ALPHABET, generateReferralCode, normalizeReferralCode } from './referral-code';

describe('generateReferralCode', () => {
  it('draws 8 characters of upper-case Crockford base32 (no I, L, O, U)', () => {
    for (let i = 0; i < 2000; i++) {
      const code = generateReferralCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(normalizeReferralCode(code)).toBe(code);
    }
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('maps 5 random bytes (40 bits) onto 8 symbols of 5 bits, most significant first', () => {
    expect(generateReferralCode(() => Buffer.alloc(5, 0))).toBe('00000000');
    expect(generateReferralCode(() => Buffer.alloc(5, 0xff))).toBe('ZZZZZZZZ');
    // 0x0842108421 = 00001 00001 00001 ... : every symbol is 1
    expect(generateReferralCode(() => Buffer.from([0x08, 0x42, 0x10, 0x84, 0x21]))).toBe('11111111');
    // 0xF800000000: only the first symbol set (31 = Z)
    expect(generateReferralCode(() => Buffer.from([0xf8, 0, 0, 0, 0]))).toBe('Z0000000');
  });

  it('uses every symbol, roughly uniformly', () => {
    const counts = new Map<string, number>();
    const draws = 4000;
    for (let i = 0; i < draws; i++) for (const c of generateReferralCode()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (draws * 8) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
  });

  // Two members may draw the same code (40 bits): the service draws again then (codes.service.spec.ts).
  // What the generator owes is that different random bytes never give the same code.
  it('gives different codes for different random bytes: 20,000 distinct inputs, 20,000 distinct codes', () => {
    const codes = new Set(
      Array.from({ length: 20_000 }, (_, i) => {
        const bytes = Buffer.alloc(5);
        bytes.writeUIntBE(i * 54_975_581, 0, 5); // spread over the 40 bits, all distinct
        return generateReferralCode(() => bytes);
      }),
    );
    expect(codes.size).toBe(20_000);
  });
});

describe('normalizeReferralCode', () => {
  it.each([
    ['ABCD2345', 'ABCD2345'],
    ['abcd2345', 'ABCD2345'],
    ['  abcd-2345 ', 'ABCD2345'],
    ['ABCD 2345', 'ABCD2345'],
    ['0OIL1234', '00111234'],
    ['oi1l5678', '01115678'],
  ])('reads %p as %p', (typed, code) => {
    expect(normalizeReferralCode(typed)).toBe(code);
  });

  it.each([[''], ['ABC'], ['ABCD23456'], ['ABCDU234'], ['ABCD_234'], ['ÄBCD2345'], ['ABCD234!']])('refuses %p', (typed) => {
    expect(normalizeReferralCode(typed)).toBeNull();
  });
});

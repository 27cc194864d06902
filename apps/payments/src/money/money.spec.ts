// '@talent/platform' re-exports its JWKS verifier, which loads the ESM-only `jose`; jest's
// transform skips node_modules except Nest's, so stand in for it (these tests verify no tokens).
jest.mock('jose', () => ({ createRemoteJWKSet: jest.fn(), jwtVerify: jest.fn() }));

import { DomainError } from '@talent/platform';
import { formatCents, hourlySubtotal, isFeeRate, parseAmount, parseFeeRate, parseHours, platformFee, priceInvoice, toCents } from './money';

function badInput(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return error as DomainError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

const rate = (value: string) => parseFeeRate(value);

describe('invoice arithmetic (integer cents, half up)', () => {
  it('prices 10.5 h x 80.00 at 10%: 840.00 + 84.00 = 924.00', () => {
    const subtotal = hourlySubtotal(toCents('80.00'), parseHours(10.5, 'hours'));
    const priced = priceInvoice(subtotal, rate('0.10'));
    expect([priced.subtotal, priced.platformFee, priced.total].map(formatCents)).toEqual(['840.00', '84.00', '924.00']);
  });

  it.each([
    // rate, hours, expected subtotal
    ['0.50', 0.01, '0.01'], // 0.005 -> 0.01 (half up)
    ['0.49', 0.01, '0.00'], // 0.0049 -> 0.00
    ['33.33', 1.5, '50.00'], // 49.995 -> 50.00
    ['99.99', 0.33, '33.00'], // 32.9967 -> 33.00
    ['12.34', 168, '2073.12'],
    ['0.10', 0.1, '0.01'], // 0.01 exactly
  ])('%s x %p h = %s', (r, hours, expected) => {
    expect(formatCents(hourlySubtotal(toCents(r), parseHours(hours, 'hours')))).toBe(expected);
  });

  it('never goes through binary floating point (0.1 + 0.2 style inputs stay exact)', () => {
    expect(parseHours(0.29, 'hours')).toBe(29n); // 0.29 * 100 = 28.999999999999996 in floats
    expect(formatCents(hourlySubtotal(toCents('1.15'), parseHours(1.15, 'hours')))).toBe('1.32'); // 1.3225
  });

  it.each([
    ['100.12', '0.10', '10.01', '110.13'], // 10.012 -> 10.01
    ['0.05', '0.10', '0.01', '0.06'], // 0.005 -> 0.01 (half up)
    ['0.04', '0.10', '0.00', '0.04'], // 0.004 -> 0.00
    ['1000.00', '0.125', '125.00', '1125.00'],
    ['19.99', '0.0725', '1.45', '21.44'], // 1.449275 -> 1.45
    ['50.00', '0', '0.00', '50.00'],
    ['50.00', '1', '50.00', '100.00'],
  ])('fee on %s at %s = %s, total %s (talent keeps the subtotal)', (subtotal, r, fee, total) => {
    const priced = priceInvoice(toCents(subtotal), rate(r));
    expect(formatCents(priced.subtotal)).toBe(subtotal);
    expect(formatCents(platformFee(toCents(subtotal), rate(r)))).toBe(fee);
    expect(formatCents(priced.total)).toBe(total);
  });
});

describe('fee rates', () => {
  it.each(['0', '0.1', '0.10', '0.1000', '0.0725', '1', '1.0', '1.0000'])('accepts %s', (value) => expect(isFeeRate(value)).toBe(true));
  it.each(['', '-0.1', '1.0001', '2', '0.12345', '.1', '0,1', 'abc', '1e-1'])('refuses %p', (value) => expect(isFeeRate(value)).toBe(false));

  it('canonicalises for display with at least 2 decimals', () => {
    expect(parseFeeRate('0.1000').text).toBe('0.10');
    expect(parseFeeRate('0.125').text).toBe('0.125');
    expect(parseFeeRate('1').text).toBe('1.00');
    expect(() => parseFeeRate('1.5')).toThrow(RangeError);
  });
});

describe('input parsing', () => {
  it.each([
    [10.5, 1050n],
    [168, 16800n],
    [0.01, 1n],
    [7.25, 725n],
  ])('hours %p = %p hundredths', (hours, hundredths) => expect(parseHours(hours, 'hours')).toBe(hundredths));

  it.each([0, -1, 168.01, 169, 10.123, Number.NaN, Number.POSITIVE_INFINITY, 1e-7])('refuses %p hours', (hours) => {
    expect(badInput(() => parseHours(hours, 'hours')).details.field).toBe('hours');
  });

  it.each(['0', '0.00', '-5', '1.234', 'abc', '', '1e3', '1234567890123'])('refuses amount %p', (amount) => {
    expect(badInput(() => parseAmount(amount, 'amount.amount')).details.field).toBe('amount.amount');
  });

  it('reads amounts exactly', () => {
    expect(parseAmount('100.1', 'a')).toBe(10010n);
    expect(parseAmount('0.01', 'a')).toBe(1n);
    expect(toCents('12.5000')).toBe(1250n);
  });
});

// '@talent/platform' re-exports its JWKS verifier, which loads the ESM-only `jose`; jest's
// transform skips node_modules except Nest's, so stand in for it (these tests verify no tokens).
jest.mock('jose', () => ({ createRemoteJWKSet: jest.fn(), jwtVerify: jest.fn() }));

import { DomainError } from '@talent/platform';
import { canonicalAmount, compareAmounts, estimatedValue, formatCents, isCurrencyCode, parseAmount, parseCurrency, parseMoney, toCents } from './money';

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

describe('amounts', () => {
  it.each([
    ['1', 100n],
    ['1.5', 150n],
    ['1.05', 105n],
    ['0.01', 1n],
    ['0012.30', 1230n],
    ['999999999999.99', 99999999999999n],
  ])('parses %p as %p cents', (amount, cents) => {
    expect(parseAmount(amount, 'amount')).toBe(cents);
  });

  it.each(['', ' 1', '1 ', '-1', '+1', '1.', '.5', '1.234', '1e3', '0x10', 'NaN', 'Infinity', '1,5', '1000000000000', '12 500'])(
    'refuses %p with BAD_USER_INPUT on the field',
    (amount) => {
      const error = badInput(() => parseAmount(amount, 'budget.min.amount'));
      expect(error.details).toEqual({ field: 'budget.min.amount' });
    },
  );

  it.each(['0', '0.00', '000.0'])('refuses the zero amount %p as not positive', (amount) => {
    expect(badInput(() => parseAmount(amount, 'proposedRate.amount')).message).toBe('proposedRate.amount must be positive');
  });

  it('formats cents with exactly two decimals and reads stored NUMERIC strings back', () => {
    expect(formatCents(0n)).toBe('0.00');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(123456n)).toBe('1234.56');
    expect(formatCents(-150n)).toBe('-1.50');
    expect(toCents('12.5')).toBe(1250n);
    expect(toCents('12.500')).toBe(1250n);
    expect(toCents('-0.01')).toBe(-1n);
    expect(canonicalAmount('80')).toBe('80.00');
    expect(() => toCents('1.234')).toThrow(RangeError);
    expect(() => toCents('abc')).toThrow(RangeError);
  });

  it('compares amounts exactly, beyond float precision', () => {
    expect(compareAmounts('10.10', '10.1')).toBe(0);
    expect(compareAmounts('999999999999.98', '999999999999.99')).toBe(-1);
    expect(compareAmounts('2', '10')).toBe(-1); // numeric, not lexicographic
    expect(compareAmounts('10', '9.99')).toBe(1);
    expect(compareAmounts('12.125', '12.12')).toBe(1); // three decimals (KWD)
  });
});

describe('currencies', () => {
  it('knows ISO 4217 codes (Intl) and normalises case', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(parseCurrency(' eur ', 'c')).toBe('EUR');
  });

  it.each(['XYZ', 'US', 'USDT', '', '12A'])('refuses %p', (code) => {
    expect(badInput(() => parseCurrency(code, 'budget.max.currency')).details).toEqual({ field: 'budget.max.currency' });
  });

  it('parses a MoneyInput into a canonical amount', () => {
    expect(parseMoney({ amount: '85.5', currency: 'usd' }, 'proposedRate')).toEqual({ amount: '85.50', currency: 'USD', minor: 8550n });
    expect(badInput(() => parseMoney({ amount: '85.555', currency: 'USD' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.amount' });
    expect(badInput(() => parseMoney({ amount: '85', currency: 'ABC' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.currency' });
  });

  it("holds the amount to its currency's ISO 4217 minor unit (JPY none, KWD 3)", () => {
    expect(parseMoney({ amount: '1500', currency: 'JPY' }, 'budget.min')).toEqual({ amount: '1500', currency: 'JPY', minor: 1500n });
    expect(parseMoney({ amount: '12.125', currency: 'KWD' }, 'budget.min')).toEqual({ amount: '12.125', currency: 'KWD', minor: 12_125n });
    expect(parseMoney({ amount: '12.5', currency: 'kwd' }, 'budget.min')).toEqual({ amount: '12.500', currency: 'KWD', minor: 12_500n });
    const yen = badInput(() => parseMoney({ amount: '1500.50', currency: 'JPY' }, 'budget.min'));
    expect(yen.details).toEqual({ field: 'budget.min.amount' });
    expect(yen.message).toContain('at most 0 decimals for JPY');
    expect(badInput(() => parseMoney({ amount: '12.1255', currency: 'KWD' }, 'budget.min')).message).toContain('at most 3 decimals for KWD');
  });

  it('refuses ISO 4217 units without a minor unit (the SDR), which no amount can be paid in', () => {
    expect(badInput(() => parseMoney({ amount: '10', currency: 'XDR' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.currency' });
  });
});

describe('estimatedValue', () => {
  it('is rate x hoursPerWeek x durationWeeks for hourly work, exactly', () => {
    expect(estimatedValue('85.50', 'USD', 'HOURLY', 40, 12)).toBe('41040.00');
    // 0.1 x 3 is 0.30000000000000004 in floats; in cents it is exact.
    expect(estimatedValue('0.10', 'USD', 'HOURLY', 3, 1)).toBe('0.30');
    expect(estimatedValue('33.33', 'USD', 'HOURLY', 7, 3)).toBe('699.93');
    expect(estimatedValue('19.99', 'USD', 'HOURLY', 37, 13)).toBe('9615.19');
  });

  it('stays exact at the largest inputs (12 digits x 80 h x 104 weeks)', () => {
    expect(estimatedValue('999999999999.99', 'USD', 'HOURLY', 80, 104)).toBe('8319999999999916.80');
  });

  it("is in the rate's currency: yen without decimals, dinars with three", () => {
    expect(estimatedValue('1500', 'JPY', 'HOURLY', 40, 12)).toBe('720000');
    expect(estimatedValue('1500.00', 'JPY', 'FIXED', 40, 12)).toBe('1500'); // a NUMERIC read back with padding
    expect(estimatedValue('12.125', 'KWD', 'HOURLY', 40, 12)).toBe('5820.000');
  });

  it('is the rate itself for fixed-price work, whatever the hours', () => {
    expect(estimatedValue('5000', 'USD', 'FIXED', 40, 12)).toBe('5000.00');
    expect(estimatedValue('1234.56', 'USD', 'FIXED', 1, 1)).toBe('1234.56');
  });

  it('refuses impossible hours or weeks', () => {
    expect(() => estimatedValue('10', 'USD', 'HOURLY', 0, 4)).toThrow(RangeError);
    expect(() => estimatedValue('10', 'USD', 'HOURLY', 2.5, 4)).toThrow(RangeError);
  });
});

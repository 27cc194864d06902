import { DomainError } from '../errors';
import { parseCommand } from '../validation/command';
import { exactDecimal } from './fixed-point';
import {
  canonicalIn,
  compareMoney,
  convertMinor,
  formatMinor,
  isCurrencyCode,
  MoneyInputSchema,
  minorUnits,
  multiplyMinor,
  parseAmountIn,
  parseCurrency,
  parseMoney,
  sumMinor,
  toMinor,
} from './money';

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

describe('ISO 4217 minor units', () => {
  it('knows each currency’s decimals: USD 2, JPY 0, KWD 3, and refuses a code without one', () => {
    expect([minorUnits('USD'), minorUnits('EUR'), minorUnits('JPY'), minorUnits('KWD'), minorUnits('BHD'), minorUnits('CLP')]).toEqual([2, 2, 0, 3, 3, 0]);
    expect(() => minorUnits('XAU')).toThrow(RangeError);
    expect(() => minorUnits('ZZZ')).toThrow(RangeError);
  });

  it('knows ISO 4217 codes (Intl) and normalises case', () => {
    expect([isCurrencyCode('USD'), isCurrencyCode('EUR'), isCurrencyCode('XYZ')]).toEqual([true, true, false]);
    expect(parseCurrency(' eur ', 'c')).toBe('EUR');
  });

  it.each(['XYZ', 'US', 'USDT', '', '12A', 'XDR'])('refuses the currency %p with BAD_USER_INPUT on the field', (code) => {
    expect(badInput(() => parseCurrency(code, 'budget.max.currency')).details).toEqual({ field: 'budget.max.currency' });
  });
});

describe('parsing what the API receives', () => {
  it.each([
    ['1', 'USD', 100n],
    ['1.5', 'USD', 150n],
    ['0.01', 'USD', 1n],
    ['0012.30', 'USD', 1230n],
    ['999999999999.99', 'USD', 99999999999999n],
    ['1500', 'JPY', 1500n],
    ['1.125', 'KWD', 1125n],
  ])('parses %p %s as %p minor units', (amount, currency, minor) => {
    expect(parseAmountIn(amount, currency, 'amount')).toBe(minor);
  });

  it.each(['', ' 1', '1 ', '-1', '+1', '1.', '.5', '1.234', '1e3', '0x10', 'NaN', 'Infinity', '1,5', '1000000000000', '12 500'])(
    'refuses %p with BAD_USER_INPUT on the field',
    (amount) => {
      expect(badInput(() => parseAmountIn(amount, 'USD', 'budget.min.amount')).details).toEqual({ field: 'budget.min.amount' });
    },
  );

  it.each(['0', '0.00', '000.0'])('refuses the zero amount %p as not positive', (amount) => {
    expect(badInput(() => parseAmountIn(amount, 'USD', 'proposedRate.amount')).message).toBe('proposedRate.amount must be positive');
  });

  it('holds an amount to its currency’s precision and no further', () => {
    expect(badInput(() => parseAmountIn('1500.5', 'JPY', 'amount')).message).toMatch(/at most 0 decimals for JPY/);
    expect(badInput(() => parseAmountIn('1.1255', 'KWD', 'amount')).message).toMatch(/at most 3 decimals for KWD/);
  });

  it('parses a MoneyInput into a canonical amount in its currency', () => {
    expect(parseMoney({ amount: '85.5', currency: 'usd' }, 'proposedRate')).toEqual({ amount: '85.50', currency: 'USD', minor: 8550n });
    expect(parseMoney({ amount: '1500', currency: 'JPY' }, 'budget.min')).toEqual({ amount: '1500', currency: 'JPY', minor: 1500n });
    expect(parseMoney({ amount: '12.5', currency: 'kwd' }, 'budget.min')).toEqual({ amount: '12.500', currency: 'KWD', minor: 12_500n });
    expect(badInput(() => parseMoney({ amount: '85.555', currency: 'USD' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.amount' });
    expect(badInput(() => parseMoney({ amount: '85', currency: 'ABC' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.currency' });
    expect(badInput(() => parseMoney({ amount: '10', currency: 'XDR' }, 'proposedRate')).details).toEqual({ field: 'proposedRate.currency' });
  });
});

describe("MoneyInputSchema (a use case command's money)", () => {
  const fieldOf = (input: { amount: string; currency: string }): unknown => {
    try {
      parseCommand(MoneyInputSchema, input);
    } catch (error) {
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      return (error as DomainError).details.field;
    }
    throw new Error('expected BAD_USER_INPUT');
  };

  it('is canonical in its currency, like parseMoney', () => {
    expect(parseCommand(MoneyInputSchema, { amount: '12.5', currency: ' usd ' })).toEqual({ amount: '12.50', currency: 'USD' });
    expect(parseCommand(MoneyInputSchema, { amount: '1500', currency: 'JPY' })).toEqual({ amount: '1500', currency: 'JPY' });
  });

  it('names the offending part', () => {
    expect(fieldOf({ amount: '10', currency: 'ABC' })).toBe('currency');
    expect(fieldOf({ amount: '10', currency: 'XAU' })).toBe('currency');
    expect(fieldOf({ amount: '0', currency: 'USD' })).toBe('amount');
    expect(fieldOf({ amount: '1500.5', currency: 'JPY' })).toBe('amount');
    expect(() => parseCommand(MoneyInputSchema, { amount: '-1', currency: 'USD' })).toThrow(/^amount: must be a decimal string/);
  });
});

describe('reading stored amounts and writing canonical ones', () => {
  it('formats minor units with exactly the currency’s decimals, zero and negatives included', () => {
    expect(formatMinor(150000n, 'USD')).toBe('1500.00');
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(1125n, 'KWD')).toBe('1.125');
    expect(formatMinor(0n, 'USD')).toBe('0.00');
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
    expect(formatMinor(-150n, 'JPY')).toBe('-150');
  });

  it('reads NUMERIC text of any scale back, signed, and canonicalises it', () => {
    expect(toMinor('12.5', 'USD')).toBe(1250n);
    expect(toMinor('12.500', 'USD')).toBe(1250n);
    expect(toMinor('-0.01', 'USD')).toBe(-1n);
    expect(toMinor('0', 'KWD')).toBe(0n);
    expect(toMinor('1500.000', 'JPY')).toBe(1500n);
    expect(canonicalIn('80', 'USD')).toBe('80.00');
    expect(canonicalIn('1500.000', 'JPY')).toBe('1500');
  });

  it('never rounds a stored amount silently and refuses what is not a decimal', () => {
    expect(() => toMinor('1500.5', 'JPY')).toThrow(/more decimals than JPY/);
    expect(() => toMinor('1.234', 'USD')).toThrow(RangeError);
    for (const bad of ['abc', '', '1e3', '1.', '.5', ' 1']) expect(() => toMinor(bad, 'USD')).toThrow(/not a decimal amount/);
  });
});

describe('comparisons and sums', () => {
  it('compares exactly whatever the scale, beyond float precision', () => {
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(compareMoney(usd('10.10'), usd('10.1'))).toBe(0);
    expect(compareMoney(usd('999999999999.98'), usd('999999999999.99'))).toBe(-1);
    expect(compareMoney(usd('10'), usd('9.99'))).toBe(1); // numeric, not lexicographic
    expect(compareMoney(usd('-1'), usd('0'))).toBe(-1);
    expect(compareMoney({ amount: '12.125', currency: 'KWD' }, { amount: '12.12', currency: 'KWD' })).toBe(1);
    expect(() => compareMoney(usd('1'), { amount: '1', currency: 'EUR' })).toThrow(RangeError);
  });

  it('sums stored amounts exactly (0.1 + 0.2 is 0.30)', () => {
    expect(formatMinor(sumMinor(['0.1', '0.2'], 'USD'), 'USD')).toBe('0.30');
    expect(sumMinor([], 'USD')).toBe(0n);
    expect(sumMinor(['1500', '-500.000'], 'JPY')).toBe(1000n);
    expect(() => sumMinor(['1', '0.001'], 'USD')).toThrow(RangeError);
  });
});

describe('multiplying by a rate, rounded half even to the minor unit', () => {
  const fee = (amount: string, currency: string, rate: string) => formatMinor(multiplyMinor(toMinor(amount, currency), exactDecimal(rate)), currency);

  it.each([
    ['840.00', 'USD', '0.10', '84.00'],
    ['1.25', 'USD', '0.10', '0.12'], // 0.125: a half, to the even 0.12
    ['1.35', 'USD', '0.10', '0.14'], // 0.135: a half, to the even 0.14
    ['0.05', 'USD', '0.10', '0.00'], // 0.005: a half, to the even 0.00
    ['100.12', 'USD', '0.10', '10.01'],
    ['19.99', 'USD', '0.0725', '1.45'], // 1.449275
    ['50.00', 'USD', '0', '0.00'],
    ['25', 'JPY', '0.10', '2'], // ¥2.5 -> ¥2
    ['35', 'JPY', '0.10', '4'], // ¥3.5 -> ¥4
    ['0.125', 'KWD', '0.10', '0.012'], // 0.0125 -> 0.012
    ['-1.35', 'USD', '0.10', '-0.14'], // symmetric around zero
  ])('%s %s x %s = %s', (amount, currency, rate, expected) => {
    expect(fee(amount, currency, rate)).toBe(expected);
  });

  it('over many exact halves neither drifts up nor down', () => {
    let exact = 0n; // in tenths of a cent
    let charged = 0n;
    for (let cents = 5n; cents < 1000n; cents += 10n) {
      exact += cents;
      charged += multiplyMinor(cents, exactDecimal('0.10')) * 10n;
    }
    expect(charged).toBe(exact);
  });
});

describe('currency conversion', () => {
  it('converts exactly, half even, including to USDC’s 6 decimals', () => {
    expect(convertMinor(1000n, 'JPY', '0.0067', { currency: 'USD' })).toBe(670n);
    expect(convertMinor(1125n, 'KWD', '3.25', { currency: 'USD' })).toBe(366n); // 3.65625 -> 3.66
    expect(convertMinor(1050n, 'USD', '1', { decimals: 6 })).toBe(10_500_000n);
    expect(convertMinor(1n, 'USD', '0.5', { currency: 'USD' })).toBe(0n); // 0.005 -> 0.00 (even)
    expect(convertMinor(3n, 'USD', '0.5', { currency: 'USD' })).toBe(2n); // 0.015 -> 0.02 (even)
    expect(() => convertMinor(1n, 'USD', '-1', { currency: 'EUR' })).toThrow(RangeError);
  });
});

import { canonicalIn, convertMinor, divideHalfEven, formatMinor, minorUnits, parseAmountIn, toMinor } from './currency';

describe('ISO 4217 minor units', () => {
  it('knows each currency’s decimals: USD 2, JPY 0, KWD 3, and refuses a code without one', () => {
    expect([minorUnits('USD'), minorUnits('EUR'), minorUnits('JPY'), minorUnits('KWD'), minorUnits('BHD'), minorUnits('CLP')]).toEqual([2, 2, 0, 3, 3, 0]);
    expect(() => minorUnits('XAU')).toThrow(RangeError);
    expect(() => minorUnits('ZZZ')).toThrow(RangeError);
  });

  it('parses user amounts to the currency’s precision and no further', () => {
    expect(parseAmountIn('1500', 'JPY', 'amount')).toBe(1500n);
    expect(parseAmountIn('1.125', 'KWD', 'amount')).toBe(1125n);
    expect(parseAmountIn('12.5', 'USD', 'amount')).toBe(1250n);
    expect(() => parseAmountIn('1500.5', 'JPY', 'amount')).toThrow(/at most 0 decimals for JPY/);
    expect(() => parseAmountIn('1.1255', 'KWD', 'amount')).toThrow(/at most 3 decimals for KWD/);
    expect(() => parseAmountIn('0.00', 'USD', 'amount')).toThrow(/positive/);
    expect(() => parseAmountIn('-1', 'USD', 'amount')).toThrow();
  });

  it('formats minor units canonically per currency', () => {
    expect(formatMinor(150000n, 'USD')).toBe('1500.00');
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(1125n, 'KWD')).toBe('1.125');
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
    expect(canonicalIn('1500.000', 'JPY')).toBe('1500');
    expect(toMinor('12.5', 'USD')).toBe(1250n);
  });

  it('never rounds a stored amount silently', () => {
    expect(() => toMinor('1500.5', 'JPY')).toThrow(RangeError);
    expect(toMinor('1500.000', 'JPY')).toBe(1500n);
  });

  it('rounds half even: exact halves go to the even neighbour, everything else to the nearest', () => {
    expect([divideHalfEven(5n, 2n), divideHalfEven(7n, 2n), divideHalfEven(125n, 10n), divideHalfEven(135n, 10n)]).toEqual([2n, 4n, 12n, 14n]);
    expect([divideHalfEven(126n, 10n), divideHalfEven(124n, 10n), divideHalfEven(-5n, 2n), divideHalfEven(-7n, 2n)]).toEqual([13n, 12n, -2n, -4n]);
  });

  it('converts between currencies exactly, half even, including to USDC’s 6 decimals', () => {
    expect(convertMinor(1000n, 'JPY', '0.0067', { currency: 'USD' })).toBe(670n);
    expect(convertMinor(1125n, 'KWD', '3.25', { currency: 'USD' })).toBe(366n); // 3.65625 -> 3.66
    expect(convertMinor(1050n, 'USD', '1', { decimals: 6 })).toBe(10_500_000n);
    expect(convertMinor(1n, 'USD', '0.5', { currency: 'USD' })).toBe(0n); // 0.005 -> 0.00 (even)
    expect(convertMinor(3n, 'USD', '0.5', { currency: 'USD' })).toBe(2n); // 0.015 -> 0.02 (even)
  });
});

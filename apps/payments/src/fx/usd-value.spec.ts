import { isUsdRate, parseUsdRates, usdCents } from './usd-value';

describe('USD values of paid invoices', () => {
  it('USD at rate 1 is the amount itself', () => {
    expect(usdCents(123_456n, '1')).toBe(123_456n);
  });

  it('multiplies cents by the rate exactly and rounds half up to the cent', () => {
    expect(usdCents(10_000n, '1.08')).toBe(10_800n); // 100.00 EUR -> 108.00 USD
    expect(usdCents(1n, '0.5')).toBe(1n); // 0.005 -> 0.01 (half up)
    expect(usdCents(1n, '0.4999999999')).toBe(0n);
    expect(usdCents(333n, '0.0066666667')).toBe(2n); // 3.33 JPY-like rate: 0.0222 -> 0.02
    // Large amounts stay exact (no float): 999,999,999,999.99 x 1.2345678901
    expect(usdCents(99_999_999_999_999n, '1.2345678901')).toBe(123_456_789_009_999n);
  });

  it('refuses malformed or non-positive rates and negative amounts', () => {
    for (const bad of ['0', '0.0', '-1', '1e3', 'abc', '1.12345678901', '']) expect(isUsdRate(bad)).toBe(false);
    expect(() => usdCents(100n, '0')).toThrow(RangeError);
    expect(() => usdCents(-1n, '1')).toThrow(RangeError);
  });

  it('parses USD_RATES and names the entry it cannot read', () => {
    expect(parseUsdRates('EUR=1.08, GBP=1.27')).toEqual(new Map([['EUR', '1.08'], ['GBP', '1.27']]));
    expect(parseUsdRates('')).toEqual(new Map());
    expect(() => parseUsdRates('EUR=1.08,gbp=1.2')).toThrow('"gbp=1.2" is not CURRENCY=RATE');
    expect(() => parseUsdRates('EUR=0')).toThrow(RangeError);
  });
});

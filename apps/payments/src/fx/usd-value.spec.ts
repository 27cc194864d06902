import { isUsdRate, parseUsdRates, usdCents } from './usd-value';

describe('USD values of paid invoices', () => {
  it('USD at rate 1 is the amount itself', () => {
    expect(usdCents(123_456n, 'USD', '1')).toBe(123_456n);
  });

  it('multiplies minor units by the rate exactly and rounds half even to the cent', () => {
    expect(usdCents(10_000n, 'EUR', '1.08')).toBe(10_800n); // 100.00 EUR -> 108.00 USD
    // Exact halves go to the even cent (0.005 was 0.01 under the former half up).
    expect(usdCents(1n, 'EUR', '0.5')).toBe(0n); // 0.005 -> 0.00
    expect(usdCents(3n, 'EUR', '0.5')).toBe(2n); // 0.015 -> 0.02
    expect(usdCents(5n, 'EUR', '0.5')).toBe(2n); // 0.025 -> 0.02
    expect(usdCents(1n, 'EUR', '0.5000000001')).toBe(1n); // just above the half
    expect(usdCents(1n, 'EUR', '0.4999999999')).toBe(0n);
    expect(usdCents(333n, 'EUR', '0.0066666667')).toBe(2n); // 0.0222 -> 0.02
    // Large amounts stay exact (no float): 999,999,999,999.99 x 1.2345678901
    expect(usdCents(99_999_999_999_999n, 'EUR', '1.2345678901')).toBe(123_456_789_009_999n);
  });

  it("reads the amount in its currency's minor unit (JPY none, KWD 3)", () => {
    expect(usdCents(1000n, 'JPY', '0.0067')).toBe(670n); // ¥1000 -> US$6.70
    expect(usdCents(20_989n, 'JPY', '0.0065')).toBe(13_643n); // 136.4285 -> 136.43
    expect(usdCents(75n, 'JPY', '0.01')).toBe(75n); // ¥75 -> US$0.75 (not 0.0075)
    expect(usdCents(12_500n, 'KWD', '3.25')).toBe(4062n); // KWD 12.500 -> 40.625 -> 40.62 (a half: even)
    expect(usdCents(12_501n, 'KWD', '3.25')).toBe(4063n); // 40.62825 -> 40.63
    expect(usdCents(1125n, 'KWD', '3.25')).toBe(366n); // 3.65625 -> 3.66
  });

  it('refuses malformed or non-positive rates and negative amounts', () => {
    for (const bad of ['0', '0.0', '-1', '1e3', 'abc', '1.12345678901', '']) expect(isUsdRate(bad)).toBe(false);
    expect(() => usdCents(100n, 'EUR', '0')).toThrow(RangeError);
    expect(() => usdCents(-1n, 'EUR', '1')).toThrow(RangeError);
  });

  it('parses USD_RATES and names the entry it cannot read', () => {
    expect(parseUsdRates('EUR=1.08, GBP=1.27')).toEqual(
      new Map([
        ['EUR', '1.08'],
        ['GBP', '1.27'],
      ]),
    );
    expect(parseUsdRates('')).toEqual(new Map());
    expect(() => parseUsdRates('EUR=1.08,gbp=1.2')).toThrow('"gbp=1.2" is not CURRENCY=RATE');
    expect(() => parseUsdRates('EUR=0')).toThrow(RangeError);
  });
});

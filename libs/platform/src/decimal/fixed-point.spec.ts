import { canonicalDecimal, divideHalfEven, exactDecimal, formatScaled, formatScaledTrimmed, parseScaled } from './fixed-point';

describe('fixed-point core', () => {
  it('parses to a given number of decimals, signed, or null', () => {
    expect(parseScaled('12.5', 2)).toBe(1250n);
    expect(parseScaled('-12.5', 2)).toBe(-1250n);
    expect(parseScaled('12.500', 2)).toBe(1250n);
    expect(parseScaled('7', 0)).toBe(7n);
    expect(parseScaled('12.505', 2)).toBeNull();
    for (const bad of ['', '1.', '.5', '+1', '1e3', ' 1']) expect(parseScaled(bad, 2)).toBeNull();
  });

  it('formats padded or trimmed', () => {
    expect([formatScaled(123456n, 2), formatScaled(-5n, 2), formatScaled(7n, 0), formatScaled(0n, 3)]).toEqual(['1234.56', '-0.05', '7', '0.000']);
    expect([formatScaledTrimmed(25000n, 3), formatScaledTrimmed(-250n, 3), formatScaledTrimmed(0n, 3), formatScaledTrimmed(10n, 0)]).toEqual([
      '25',
      '-0.25',
      '0',
      '10',
    ]);
  });

  it('reads non-negative decimals as exact fractions and canonicalises them', () => {
    expect(exactDecimal('1.08')).toEqual({ units: 108n, scale: 100n });
    expect(exactDecimal('3')).toEqual({ units: 3n, scale: 1n });
    expect(() => exactDecimal('-1')).toThrow(RangeError);
    expect(() => exactDecimal('1e-1')).toThrow(RangeError);
    expect([canonicalDecimal('0.250'), canonicalDecimal('25.000'), canonicalDecimal('007'), canonicalDecimal('0.0')]).toEqual(['0.25', '25', '7', '0']);
  });

  it('rounds half even: exact halves go to the even neighbour, everything else to the nearest', () => {
    expect([divideHalfEven(5n, 2n), divideHalfEven(7n, 2n), divideHalfEven(125n, 10n), divideHalfEven(135n, 10n)]).toEqual([2n, 4n, 12n, 14n]);
    expect([divideHalfEven(126n, 10n), divideHalfEven(124n, 10n), divideHalfEven(-5n, 2n), divideHalfEven(-7n, 2n)]).toEqual([13n, 12n, -2n, -4n]);
    expect(() => divideHalfEven(1n, 0n)).toThrow(RangeError);
  });
});

import { fromUnits, isValidPositiveAmount, mulUnits, negate, normalize, toUnits, toUnitsTruncated } from './decimal';

describe('decimal helpers (BigInt units of 1e-18)', () => {
  it('parses decimal strings exactly, up to 18 decimals', () => {
    expect(toUnits('1')).toBe(10n ** 18n);
    expect(toUnits('0.000000000000000001')).toBe(1n);
    expect(toUnits('250000000')).toBe(250_000_000n * 10n ** 18n);
    expect(toUnits('-1.5')).toBe(-15n * 10n ** 17n);
    expect(toUnits('12.500000000000000000000')).toBe(125n * 10n ** 17n); // trailing zeros beyond 18 are harmless
    expect(toUnits('0.1') + toUnits('0.2')).toBe(toUnits('0.3')); // what floats get wrong
  });

  it('refuses malformed values and more than 18 significant decimals', () => {
    for (const bad of ['', 'abc', '1e3', '1.', '.5', '1,5', '0x10', '1.0000000000000000001', 'NaN', 'Infinity', '--1']) {
      expect(() => toUnits(bad)).toThrow();
    }
  });

  it('formats canonically: no exponent, no trailing zeros', () => {
    expect(fromUnits(0n)).toBe('0');
    expect(fromUnits(1n)).toBe('0.000000000000000001');
    expect(fromUnits(-toUnits('42.10'))).toBe('-42.1');
    expect(normalize('25.000000000000000000')).toBe('25');
    expect(normalize('135000000.000000000000000000')).toBe('135000000');
    expect(normalize('0.050000000000000000')).toBe('0.05');
    expect(negate('7.25')).toBe('-7.25');
    expect(fromUnits(toUnits('123456789012345678.123456789012345678'))).toBe('123456789012345678.123456789012345678');
  });

  it('multiplies fixed-point values, truncating toward zero', () => {
    expect(fromUnits(mulUnits(toUnits('0.05'), toUnits('12000')))).toBe('600');
    expect(fromUnits(mulUnits(toUnits('0.02'), toUnits('1234.56')))).toBe('24.6912');
    expect(fromUnits(mulUnits(toUnits('0.000000000000000001'), toUnits('0.5')))).toBe('0');
    expect(fromUnits(mulUnits(toUnits('0.333333333333333333'), toUnits('3')))).toBe('0.999999999999999999');
  });

  it('truncates values with more than 18 decimals when asked to', () => {
    expect(fromUnits(toUnitsTruncated('1.1234567890123456789999'))).toBe('1.123456789012345678');
    expect(fromUnits(toUnitsTruncated('10.50'))).toBe('10.5');
  });

  it('validates positive token amounts', () => {
    expect(isValidPositiveAmount('1')).toBe(true);
    expect(isValidPositiveAmount('0.000000000000000001')).toBe(true);
    expect(isValidPositiveAmount('0')).toBe(false);
    expect(isValidPositiveAmount('-5')).toBe(false);
    expect(isValidPositiveAmount('1.0000000000000000001')).toBe(false);
    expect(isValidPositiveAmount('1000000000000000000')).toBe(false); // 19 integer digits: beyond NUMERIC(36,18)
    expect(isValidPositiveAmount('999999999999999999.999999999999999999')).toBe(true);
  });
});

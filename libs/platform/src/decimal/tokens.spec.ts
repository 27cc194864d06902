import { z } from 'zod';
import { BadUserInputError } from '../errors';
import { parseCommand } from '../validation';
import { exactDecimal } from './fixed-point';
import {
  canonicalTokens,
  DecimalFormatError,
  fromUnits,
  MAX_UNITS,
  mulUnits,
  quotientUnits,
  sumUnits,
  tokenAmountSchema,
  TokenAmountSchema,
  toUnits,
  toUnitsTruncated,
} from './tokens';

describe('token amounts (BigInt units of 1e-18)', () => {
  it('parses decimal strings exactly, up to 18 decimals, signed', () => {
    expect(toUnits('1')).toBe(10n ** 18n);
    expect(toUnits('0.000000000000000001')).toBe(1n);
    expect(toUnits('250000000')).toBe(250_000_000n * 10n ** 18n);
    expect(toUnits('-1.5')).toBe(-15n * 10n ** 17n);
    expect(toUnits('0')).toBe(0n);
    expect(toUnits(' 2 ')).toBe(2n * 10n ** 18n);
    expect(toUnits('12.500000000000000000000')).toBe(125n * 10n ** 17n); // trailing zeros beyond 18 are harmless
  });

  it('refuses malformed values and more than 18 significant decimals', () => {
    for (const bad of ['', 'abc', '1e3', '1.', '.5', '1,5', '0x10', '+1', 'NaN', 'Infinity', '--1']) {
      expect(() => toUnits(bad)).toThrow(DecimalFormatError);
    }
    expect(() => toUnits('1.0000000000000000001')).toThrow(/at most 18 decimals/);
    expect(new DecimalFormatError('x', 'why')).toBeInstanceOf(RangeError);
  });

  it('formats canonically: no exponent, no trailing zeros', () => {
    expect(fromUnits(0n)).toBe('0');
    expect(fromUnits(1n)).toBe('0.000000000000000001');
    expect(fromUnits(-toUnits('42.10'))).toBe('-42.1');
    expect(fromUnits(-1n)).toBe('-0.000000000000000001');
    expect(canonicalTokens('25.000000000000000000')).toBe('25');
    expect(canonicalTokens('135000000.000000000000000000')).toBe('135000000');
    expect(canonicalTokens('0.050000000000000000')).toBe('0.05');
    expect(canonicalTokens('-0.000')).toBe('0');
    expect(fromUnits(toUnits('123456789012345678.123456789012345678'))).toBe('123456789012345678.123456789012345678');
  });

  it('compares and sums exactly (what floats get wrong)', () => {
    expect(toUnits('0.1') + toUnits('0.2')).toBe(toUnits('0.3'));
    expect(toUnits('10') > toUnits('9.999999999999999999')).toBe(true);
    expect(toUnits('2.50') === toUnits('2.5')).toBe(true);
    expect(fromUnits(sumUnits([toUnits('0.1'), toUnits('0.2'), toUnits('-0.3')]))).toBe('0');
    expect(sumUnits([])).toBe(0n);
  });

  it('takes a share at a rate (e.g. 10%), truncating toward zero', () => {
    expect(fromUnits(mulUnits(toUnits('0.10'), toUnits('1234.56')))).toBe('123.456');
    expect(fromUnits(mulUnits(toUnits('0.05'), toUnits('12000')))).toBe('600');
    expect(fromUnits(mulUnits(toUnits('0.02'), toUnits('1234.56')))).toBe('24.6912');
    expect(fromUnits(mulUnits(toUnits('0.000000000000000001'), toUnits('0.5')))).toBe('0');
    expect(fromUnits(mulUnits(toUnits('0.333333333333333333'), toUnits('3')))).toBe('0.999999999999999999');
    expect(fromUnits(mulUnits(toUnits('-0.000000000000000001'), toUnits('0.5')))).toBe('0');
  });

  it('divides two decimals into units, truncating (never more than was paid for)', () => {
    expect(fromUnits(quotientUnits(exactDecimal('10'), exactDecimal('0.3')))).toBe('33.333333333333333333');
    expect(fromUnits(quotientUnits(exactDecimal('108.000000'), exactDecimal('0.54')))).toBe('200');
    expect(() => quotientUnits(exactDecimal('1'), exactDecimal('0.00'))).toThrow(RangeError);
  });

  it('truncates values with more than 18 decimals when asked to', () => {
    expect(fromUnits(toUnitsTruncated('1.1234567890123456789999'))).toBe('1.123456789012345678');
    expect(fromUnits(toUnitsTruncated('-1.1234567890123456789999'))).toBe('-1.123456789012345678');
    expect(fromUnits(toUnitsTruncated('10.50'))).toBe('10.5');
    expect(fromUnits(toUnitsTruncated('7'))).toBe('7');
    expect(() => toUnitsTruncated('1e3')).toThrow(DecimalFormatError);
  });
});

describe('token amounts in commands (TokenAmountSchema, tokenAmountSchema)', () => {
  const refusal = (schema: z.ZodType, amount: string) => {
    try {
      parseCommand(z.object({ amount: schema }), { amount });
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      return { message: (error as BadUserInputError).message, details: (error as BadUserInputError).details };
    }
    throw new Error(`"${amount}" was accepted`);
  };
  const MAX = fromUnits(MAX_UNITS);
  const ABOVE_MAX = '1000000000000000000'; // 19 integer digits

  it('parses a positive amount into 1e-18 units, whatever its spelling', () => {
    expect(TokenAmountSchema.parse('4.5')).toBe(45n * 10n ** 17n);
    expect(TokenAmountSchema.parse('4.500000000000000000000')).toBe(45n * 10n ** 17n);
    expect(TokenAmountSchema.parse(' 2 ')).toBe(2n * 10n ** 18n);
    expect(TokenAmountSchema.parse('0.000000000000000001')).toBe(1n);
    expect(TokenAmountSchema.parse(MAX)).toBe(MAX_UNITS);
  });

  it('refuses, by default, malformed, over 18 decimals, zero, negative and beyond NUMERIC(36,18): BAD_USER_INPUT on the field, the value not echoed', () => {
    for (const bad of ['abc', '', '1e3', '1.0000000000000000001', '0x10']) {
      expect(refusal(TokenAmountSchema, bad)).toEqual({ message: 'amount: must be a decimal with at most 18 decimals', details: { field: 'amount' } });
    }
    for (const bad of ['0', '0.000', '-1', '-0.000000000000000001', ABOVE_MAX]) {
      expect(refusal(TokenAmountSchema, bad)).toEqual({
        message: 'amount: is out of range (greater than 0, at most 18 integer digits)',
        details: { field: 'amount' },
      });
    }
    expect(refusal(TokenAmountSchema, '-5').message).not.toContain('-5');
  });

  it('accepts zero when asked (a buyback that bought nothing), never a negative amount', () => {
    const schema = tokenAmountSchema({ zero: true });
    expect(schema.parse('0')).toBe(0n);
    expect(schema.parse('0.000000000000000000')).toBe(0n);
    expect(schema.parse('1.5')).toBe(15n * 10n ** 17n);
    for (const bad of ['-5', '-0.000000000000000001', ABOVE_MAX]) {
      expect(refusal(schema, bad).message).toBe('amount: is out of range (0 or more, at most 18 integer digits)');
    }
    expect(refusal(schema, '1.0000000000000000001').message).toBe('amount: must be a decimal with at most 18 decimals');
  });

  it('uncapped, leaves amounts beyond NUMERIC(36,18) to the use case (a withdrawal: INSUFFICIENT_FUNDS)', () => {
    const schema = tokenAmountSchema({ capped: false });
    expect(schema.parse('999999999999999999999999')).toBe(999999999999999999999999n * 10n ** 18n);
    for (const bad of ['0', '-1']) expect(refusal(schema, bad)).toEqual({ message: 'amount: must be greater than 0', details: { field: 'amount' } });
    expect(refusal(schema, 'abc').message).toBe('amount: must be a decimal with at most 18 decimals');
  });

  it('refuses what is not a string', () => {
    for (const bad of [5, null, undefined, 5n]) expect(TokenAmountSchema.safeParse(bad).success).toBe(false);
  });
});

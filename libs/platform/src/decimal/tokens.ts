import { z } from 'zod';
import { formatScaledTrimmed, isDecimalString, parseScaled, type ExactDecimal } from './fixed-point';

/**
 * BTRST amounts (balances, stakes, rewards, voting power): decimal strings at the edges,
 * NUMERIC(36,18) in PostgreSQL, and between them BigInt counts of 1e-18 "units". Never floats.
 * Canonical text has no exponent and no trailing zeros ("25", "0.05", "-1.5"). Where a result
 * falls between two units it is truncated toward zero, so nobody is credited more than exists.
 */
export const TOKEN_DECIMALS = 18;
const SCALE = 10n ** BigInt(TOKEN_DECIMALS);
/** NUMERIC(36,18) holds at most 18 integer digits. */
export const MAX_UNITS = 10n ** 36n - 1n;

export class DecimalFormatError extends RangeError {
  constructor(value: string, why: string) {
    super(`"${value}" is not a valid amount: ${why}`);
    this.name = 'DecimalFormatError';
  }
}

/** Units of 1e-18 of a decimal string ("12.5", or NUMERIC text "12.500000000000000000"); DecimalFormatError when malformed or beyond 18 decimals. */
export function toUnits(value: string): bigint {
  const trimmed = value.trim();
  const units = parseScaled(trimmed, TOKEN_DECIMALS);
  if (units !== null) return units;
  throw new DecimalFormatError(value, isDecimalString(trimmed) ? `at most ${TOKEN_DECIMALS} decimals` : 'not a decimal string (e.g. "12.5")');
}

/** As toUnits for a value with any number of decimals, truncated toward zero to 18 (e.g. a contract value in USD). */
export function toUnitsTruncated(value: string): bigint {
  const trimmed = value.trim();
  if (!isDecimalString(trimmed)) throw new DecimalFormatError(value, 'not a decimal string (e.g. "12.5")');
  const [whole, fraction = ''] = trimmed.split('.');
  return toUnits(`${whole}.${fraction.slice(0, TOKEN_DECIMALS) || '0'}`);
}

/** The canonical decimal string of a unit count ("25", "0.05", "-1.5", "0"). */
export const fromUnits = (units: bigint): string => formatScaledTrimmed(units, TOKEN_DECIMALS);

/** The canonical form of a token amount (PostgreSQL's "25.000000000000000000" -> "25"). */
export const canonicalTokens = (value: string): string => fromUnits(toUnits(value));

/** a x b for two 18-decimal values (an amount and a rate), truncated toward zero to 18 decimals. */
export const mulUnits = (a: bigint, b: bigint): bigint => (a * b) / SCALE;

/** The units of numerator / denominator (e.g. USDC spent / USDC per BTRST), truncated toward zero; RangeError for a zero denominator. */
export function quotientUnits(numerator: ExactDecimal, denominator: ExactDecimal): bigint {
  if (denominator.units === 0n) throw new RangeError('division by zero');
  return (numerator.units * denominator.scale * SCALE) / (numerator.scale * denominator.units);
}

export const sumUnits = (values: readonly bigint[]): bigint => values.reduce((sum, v) => sum + v, 0n);

/** What a token amount in a command may be, beyond "a decimal with at most 18 decimals" (see `tokenAmountSchema`). */
export interface TokenAmountRules {
  /** 0 is an amount (a buyback that bought nothing). Default: refused, as a negative amount always is. */
  zero?: boolean;
  /**
   * Amounts beyond NUMERIC(36,18) are refused (default); false leaves them to the use case (a
   * withdrawal answers INSUFFICIENT_FUNDS, as nobody holds that much).
   */
  capped?: boolean;
}

/**
 * A BTRST amount in a use case's command (zod, for `parseCommand`): a decimal string of at most
 * 18 decimals, parsed into 1e-18 units (bigint). Refused with one issue on the field, which never
 * echoes the value: malformed or over 18 decimals, negative, zero (unless `zero`), beyond
 * NUMERIC(36,18) (unless `capped: false`).
 */
export function tokenAmountSchema(rules: TokenAmountRules = {}) {
  const { zero = false, capped = true } = rules;
  const lowest = zero ? 0n : 1n;
  const bounds = zero ? '0 or more' : 'greater than 0';
  // "must be greater than 0" is what a member reads for a withdrawal; the capped form names both bounds.
  const outOfRange = capped ? `is out of range (${bounds}, at most 18 integer digits)` : `must be ${bounds}`;
  return z.string().transform((value, ctx) => {
    let units: bigint;
    try {
      units = toUnits(value);
    } catch (error) {
      if (!(error instanceof DecimalFormatError)) throw error;
      ctx.addIssue({ code: 'custom', message: `must be a decimal with at most ${TOKEN_DECIMALS} decimals` });
      return z.NEVER;
    }
    if (units < lowest || (capped && units > MAX_UNITS)) {
      ctx.addIssue({ code: 'custom', message: outOfRange });
      return z.NEVER;
    }
    return units;
  });
}

/** A strictly positive BTRST amount that fits NUMERIC(36,18), as 1e-18 units. */
export const TokenAmountSchema = tokenAmountSchema();

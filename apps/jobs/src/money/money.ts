import { exactDecimal, formatMinor, toMinor, type RateUnit } from '@talent/platform';

/**
 * The shared money kit lives in libs/platform: amounts in each currency's ISO 4217 minor unit
 * (JPY none, USD 2 decimals, KWD 3), parsed by parseMoney, read with toMinor, written with
 * formatMinor / canonicalIn. jobs adds contract arithmetic.
 */
export {
  canonicalIn,
  formatMinor,
  isCurrencyCode,
  minorUnits,
  parseCurrency,
  parseMoney,
  toMinor,
  type MoneyValue as Money,
  type RateUnit,
} from '@talent/platform';
/** The two-decimal cents helpers (exact only for two-decimal currencies). */
export { canonicalAmount, formatCents, parseAmount, toCents } from '@talent/platform';

/**
 * The estimated value of a contract in its currency: rate x hoursPerWeek x durationWeeks for
 * hourly work, the rate itself for fixed-price work. Exact (integer minor units, no rounding).
 */
export function estimatedValue(rate: string, currency: string, unit: RateUnit, hoursPerWeek: number, durationWeeks: number): string {
  const minor = toMinor(rate, currency);
  if (unit === 'FIXED') return formatMinor(minor, currency);
  if (!Number.isInteger(hoursPerWeek) || hoursPerWeek <= 0 || !Number.isInteger(durationWeeks) || durationWeeks <= 0) {
    throw new RangeError(`hoursPerWeek and durationWeeks must be positive integers (got ${hoursPerWeek}, ${durationWeeks})`);
  }
  return formatMinor(minor * BigInt(hoursPerWeek) * BigInt(durationWeeks), currency);
}

/** a <=> b for two non-negative decimal amounts (any number of decimals, exact): -1, 0 or 1. */
export function compareAmounts(a: string, b: string): number {
  const [x, y] = [exactDecimal(a), exactDecimal(b)];
  const [left, right] = [x.units * y.scale, y.units * x.scale];
  return left < right ? -1 : left > right ? 1 : 0;
}

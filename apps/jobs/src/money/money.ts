import { formatCents, toCents, type RateUnit } from '@talent/platform';

/** The shared money kit (integer cents, ISO 4217) lives in libs/platform; jobs adds contract arithmetic. */
export { canonicalAmount, formatCents, isCurrencyCode, parseAmount, parseCurrency, parseMoney, toCents, type MoneyValue as Money, type RateUnit } from '@talent/platform';

/**
 * The estimated value of a contract: rate x hoursPerWeek x durationWeeks for hourly work,
 * the rate itself for fixed-price work. Exact (integer cents).
 */
export function estimatedValue(rate: string, unit: RateUnit, hoursPerWeek: number, durationWeeks: number): string {
  const cents = toCents(rate);
  if (unit === 'FIXED') return formatCents(cents);
  if (!Number.isInteger(hoursPerWeek) || hoursPerWeek <= 0 || !Number.isInteger(durationWeeks) || durationWeeks <= 0) {
    throw new RangeError(`hoursPerWeek and durationWeeks must be positive integers (got ${hoursPerWeek}, ${durationWeeks})`);
  }
  return formatCents(cents * BigInt(hoursPerWeek) * BigInt(durationWeeks));
}

/** a <=> b for two amounts: -1, 0 or 1. */
export function compareAmounts(a: string, b: string): number {
  const [x, y] = [toCents(a), toCents(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

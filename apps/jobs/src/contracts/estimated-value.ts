import { formatMinor, toMinor, type RateUnit } from '@talent/platform';

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

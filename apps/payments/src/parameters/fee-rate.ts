import type { ExactDecimal } from '@talent/platform';

/** A fee rate: a decimal between 0 and 1 with at most 4 decimals (NUMERIC(5,4)). */
const FEE_RATE = /^(\d+)(?:\.(\d{1,4}))?$/;

/** The platform fee rate as an exact fraction: `units` / `scale` (0.10 -> 10 / 100). */
export interface FeeRate extends ExactDecimal {
  /** Canonical decimal, at least 2 decimals, trailing zeros beyond them dropped ("0.1000" -> "0.10", "0.125" -> "0.125"). */
  text: string;
}

/** True for a decimal string between 0 and 1 with at most 4 decimals. */
export function isFeeRate(value: string): boolean {
  const match = FEE_RATE.exec(value);
  if (!match) return false;
  const decimals = match[2] ?? '';
  return BigInt(match[1] + decimals) <= 10n ** BigInt(decimals.length);
}

/** Parses a fee rate (config, parameters table); RangeError when it is not a decimal in 0..1 with at most 4 decimals. */
export function parseFeeRate(value: string): FeeRate {
  const trimmed = value.trim();
  if (!isFeeRate(trimmed)) throw new RangeError(`not a fee rate between 0 and 1 (at most 4 decimals): ${value}`);
  const [, whole, decimals = ''] = FEE_RATE.exec(trimmed) as RegExpExecArray;
  const units = BigInt(whole + decimals);
  const scale = 10n ** BigInt(decimals.length);
  const significant = decimals.replace(/0+$/, '').padEnd(2, '0');
  return { units, scale, text: `${BigInt(whole)}.${significant}` };
}

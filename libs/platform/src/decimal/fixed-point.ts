/**
 * The fixed-point core under money (money.ts) and tokens (tokens.ts): a decimal string is an
 * integer of units of 10^-decimals (BigInt), never a float. Rounding is explicit at each call:
 * half even where a result is money, truncation where it is tokens.
 */

/** What decimal strings and NUMERIC columns look like, any scale: "1500.00", "12.5", "-3". */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Units of 10^-decimals of a decimal string ("-12.5", 2 -> -1250n), or null when it is not one or
 * has significant decimals beyond `decimals` (trailing zeros beyond them are harmless).
 */
export function parseScaled(value: string, decimals: number): bigint | null {
  const match = DECIMAL.exec(value);
  if (!match) return null;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const units = BigInt(match[2] + fraction.padEnd(decimals, '0'));
  return match[1] === '-' ? -units : units;
}

/** True for a decimal string (any scale, optional minus sign): no exponent, no "+", no bare point. */
export const isDecimalString = (value: string): boolean => DECIMAL.test(value);

/** An integer scaled by 10^decimals as a decimal string with exactly `decimals` decimals (123456n, 2 -> "1234.56"). */
export function formatScaled(value: bigint, decimals: number): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  if (decimals === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(decimals);
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(decimals, '0')}`;
}

/** As formatScaled without trailing fractional zeros (25000n, 3 -> "25", -250n, 3 -> "-0.25"). */
export function formatScaledTrimmed(value: bigint, decimals: number): string {
  const text = formatScaled(value, decimals);
  return decimals === 0 ? text : text.replace(/0+$/, '').replace(/\.$/, '');
}

/** A non-negative decimal string as an exact fraction `units / scale` ("1.08" -> 108 / 100): rates, prices, hours. */
export interface ExactDecimal {
  units: bigint;
  scale: bigint;
}

/** RangeError for anything but a non-negative decimal string (surrounding spaces are ignored). */
export function exactDecimal(value: string): ExactDecimal {
  const match = DECIMAL.exec(value.trim());
  if (!match || match[1] === '-') throw new RangeError(`not a non-negative decimal: ${value}`);
  const decimals = match[3] ?? '';
  return { units: BigInt(match[2] + decimals), scale: 10n ** BigInt(decimals.length) };
}

/** A non-negative decimal without insignificant zeros ("0.250" -> "0.25", "25.000" -> "25", "007" -> "7"). */
export function canonicalDecimal(value: string): string {
  const { units, scale } = exactDecimal(value);
  return formatScaledTrimmed(units, scale.toString().length - 1);
}

/** numerator / denominator rounded half even (denominator > 0): 5/2 -> 2, 7/2 -> 4, -5/2 -> -2. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  const twiceRemainder = 2n * (abs % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** value x factor, rounded half even to value's own unit (1250n x 0.10 -> 125n; 5n x 0.5 -> 2n). */
export const multiplyHalfEven = (value: bigint, factor: ExactDecimal): bigint => divideHalfEven(value * factor.units, factor.scale);

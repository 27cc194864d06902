import { code as iso4217 } from 'currency-codes';
import { BadUserInputError } from '../errors';

/**
 * Amounts in a currency's minor units, as ISO 4217 defines them (list one, via the
 * `currency-codes` data): USD and EUR have 2 decimals, JPY and CLP none, KWD and BHD 3.
 * Computed on as integers (BigInt) of minor units; never floats. Where a result falls between
 * two minor units it is rounded HALF EVEN (banker's rounding: 0.125 -> 0.12, 0.135 -> 0.14), so
 * that over many invoices the roundings cancel out instead of drifting up.
 */

/**
 * ISO 4217 lists units that are not money anyone is paid in, with minor unit "N.A." (the data
 * reads it as 0): precious metals, bond-market units, the SDR, the testing and "no currency" codes.
 */
const NOT_MONEY = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

/** Decimals of a currency's minor unit (ISO 4217 "CcyMnrUnts"); RangeError for a code ISO 4217 does not list as money. */
export function minorUnits(currency: string): number {
  const digits = NOT_MONEY.has(currency) ? undefined : iso4217(currency)?.digits;
  if (digits === undefined || !Number.isInteger(digits)) throw new RangeError(`no ISO 4217 minor unit for currency "${currency}"`);
  return digits;
}

/** True for an ISO 4217 currency with a defined minor unit (not metals, funds units or test codes). */
export function hasMinorUnits(currency: string): boolean {
  return !NOT_MONEY.has(currency) && Number.isInteger(iso4217(currency)?.digits);
}

/** What NUMERIC columns and decimal strings look like, any scale, e.g. "1500.00", "12.5", "-3". */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
/** A user-given amount: at most 12 integer digits, decimals checked against the currency. */
const USER_AMOUNT = /^(\d{1,12})(?:\.(\d+))?$/;

/**
 * Parses a user-given amount in `currency` into minor units: positive, at most 12 digits before
 * the point and no more decimals than the currency has ("1500.5" is refused in JPY, "1.125" is
 * fine in KWD), or BAD_USER_INPUT on `field`.
 */
export function parseAmountIn(amount: string, currency: string, field: string): bigint {
  const digits = minorUnits(currency);
  const match = USER_AMOUNT.exec(amount);
  const decimals = match?.[2] ?? '';
  if (!match || decimals.length > digits) {
    const example = digits === 0 ? '"1250"' : `"1250.${'5'.padEnd(digits, '0')}"`;
    throw new BadUserInputError(
      `${field} must be a decimal string with at most ${digits} decimal${digits === 1 ? '' : 's'} for ${currency} and 12 digits before the point, e.g. ${example}`,
      field,
    );
  }
  const minor = BigInt(match[1] + decimals.padEnd(digits, '0'));
  if (minor <= 0n) throw new BadUserInputError(`${field} must be positive`, field);
  return minor;
}

/**
 * Minor units of a stored or computed amount (NUMERIC as text, any scale): RangeError when it
 * has significant decimals beyond the currency's minor unit (never rounded silently).
 */
export function toMinor(amount: string, currency: string): bigint {
  const digits = minorUnits(currency);
  const match = DECIMAL.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const decimals = (match[3] ?? '').replace(/0+$/, '');
  if (decimals.length > digits) throw new RangeError(`${amount} has more decimals than ${currency}'s ${digits}`);
  const minor = BigInt(match[2] + decimals.padEnd(digits, '0'));
  return match[1] === '-' ? -minor : minor;
}

/** Minor units -> the canonical decimal string of the currency: 150000n USD -> "1500.00", 1500n JPY -> "1500", 1125n KWD -> "1.125". */
export function formatMinor(minor: bigint, currency: string): string {
  return formatScaled(minor, minorUnits(currency));
}

/** An integer scaled by 10^decimals as a decimal string with exactly `decimals` decimals (123456n, 2 -> "1234.56"). */
export function formatScaled(value: bigint, decimals: number): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  if (decimals === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(decimals);
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(decimals, '0')}`;
}

/** The canonical form of an amount in its currency ("12.5" USD -> "12.50", "1500.00" JPY -> "1500"). */
export const canonicalIn = (amount: string, currency: string): string => formatMinor(toMinor(amount, currency), currency);

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

/** A non-negative decimal string as an exact fraction `units / scale` ("1.08" -> 108 / 100). */
export interface ExactDecimal {
  units: bigint;
  scale: bigint;
}

export function exactDecimal(value: string): ExactDecimal {
  const match = DECIMAL.exec(value.trim());
  if (!match || match[1] === '-') throw new RangeError(`not a non-negative decimal: ${value}`);
  const decimals = match[3] ?? '';
  return { units: BigInt(match[2] + decimals), scale: 10n ** BigInt(decimals.length) };
}

/**
 * Converts minor units of one currency into minor units of another at `rate` (units of `to` per
 * unit of `from`), rounded half even: 1000n JPY (¥1000) at 0.0067 USD/JPY -> 670n (US$6.70).
 * `toDecimals` overrides the target's minor unit (e.g. 6 for USDC, which ISO 4217 does not list).
 */
export function convertMinor(minor: bigint, from: string, rate: string, to: { currency?: string; decimals?: number }): bigint {
  const fromDigits = minorUnits(from);
  const toDigits = to.decimals ?? minorUnits(to.currency ?? '');
  const { units, scale } = exactDecimal(rate);
  return divideHalfEven(minor * units * 10n ** BigInt(toDigits), scale * 10n ** BigInt(fromDigits));
}

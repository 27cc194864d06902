import { code as iso4217 } from 'currency-codes';
import { z } from 'zod';
import { BadUserInputError } from '../errors';
import { divideHalfEven, exactDecimal, formatScaled, isDecimalString, multiplyHalfEven, parseScaled, type ExactDecimal } from './fixed-point';

/**
 * Money: a decimal string in major units on the wire and in NUMERIC columns ("1500.00" USD,
 * "1500" JPY, "12.125" KWD), and between them an integer (BigInt) of the currency's MINOR units
 * as ISO 4217 defines them (via the `currency-codes` data): USD and EUR 2 decimals, JPY and CLP
 * none, KWD and BHD 3. Never floats. Where a result falls between two minor units it is rounded
 * HALF EVEN (0.125 -> 0.12, 0.135 -> 0.14), so that over many invoices the roundings cancel out
 * instead of drifting up; an amount read back is never rounded silently.
 */
export interface MoneyValue {
  /** Canonical in its currency: exactly its minor unit's decimals ("1500.00" USD, "1500" JPY, "12.500" KWD). */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
}

export type RateUnit = 'HOURLY' | 'FIXED';

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

/** Every ISO 4217 code this runtime knows (Intl), e.g. USD, EUR, JPY. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (code: string): boolean => CURRENCIES.has(code);

/**
 * Validates a currency code (trimmed, upper-cased) against ISO 4217, or BAD_USER_INPUT on `field`:
 * a currency this runtime knows that has a minor unit (not the SDR, metals or test codes), so that
 * every amount in it has a defined number of decimals.
 */
export function parseCurrency(currency: string, field: string): string {
  const checked = checkCurrency(currency);
  if ('problem' in checked) throw new BadUserInputError(`${field}: ${checked.problem}`, field);
  return checked.code;
}

function checkCurrency(currency: string): { code: string } | { problem: string } {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code)) return { problem: `unknown ISO 4217 currency "${currency}"` };
  // 3 decimals is what the money columns hold; only the funds codes CLF and UYW have 4 (and Intl rarely lists them).
  if (!hasMinorUnits(code) || minorUnits(code) > 3) {
    return { problem: `${code} is not a currency amounts can be paid in here (it has no ISO 4217 minor unit, or more than 3 decimals)` };
  }
  return { code };
}

/** A user-given amount: at most 12 integer digits (so an estimate or an invoice with its fee fits the columns), decimals checked against the currency. */
const USER_AMOUNT = /^(\d{1,12})(?:\.(\d+))?$/;

/**
 * Parses a user-given amount in `currency` into minor units: positive, at most 12 digits before
 * the point and no more decimals than the currency has ("1500.5" is refused in JPY, "1.125" is
 * fine in KWD), or BAD_USER_INPUT on `field`.
 */
export function parseAmountIn(amount: string, currency: string, field: string): bigint {
  const checked = checkAmountIn(amount, currency);
  if ('problem' in checked) throw new BadUserInputError(`${field} ${checked.problem}`, field);
  return checked.minor;
}

function checkAmountIn(amount: string, currency: string): { minor: bigint } | { problem: string } {
  const digits = minorUnits(currency);
  const match = USER_AMOUNT.exec(amount);
  const decimals = match?.[2] ?? '';
  if (!match || decimals.length > digits) {
    const example = digits === 0 ? '"1250"' : `"1250.${'5'.padEnd(digits, '0')}"`;
    return {
      problem: `must be a decimal string with at most ${digits} decimal${digits === 1 ? '' : 's'} for ${currency} and 12 digits before the point, e.g. ${example}`,
    };
  }
  const minor = BigInt(match[1] + decimals.padEnd(digits, '0'));
  return minor > 0n ? { minor } : { problem: 'must be positive' };
}

/**
 * Parses a MoneyInput: a known currency and a positive amount with no more decimals than that
 * currency's minor unit; `field` names the input, e.g. "proposedRate". `amount` is canonical in
 * the currency ("1500" JPY, "85.50" USD).
 */
export function parseMoney(input: { amount: string; currency: string }, field: string): MoneyValue & { minor: bigint } {
  const currency = parseCurrency(input.currency, `${field}.currency`);
  const minor = parseAmountIn(input.amount, currency, `${field}.amount`);
  return { amount: formatMinor(minor, currency), currency, minor };
}

/**
 * A MoneyInput in a use case's command (zod, for `parseCommand`): the checks of `parseMoney`,
 * an issue on `currency` or `amount`; the value is canonical in its currency.
 */
export const MoneyInputSchema = z.object({ amount: z.string(), currency: z.string() }).transform((input, ctx): MoneyValue => {
  const currency = checkCurrency(input.currency);
  if ('problem' in currency) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: currency.problem });
    return z.NEVER;
  }
  const amount = checkAmountIn(input.amount, currency.code);
  if ('problem' in amount) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: amount.problem });
    return z.NEVER;
  }
  return { amount: formatMinor(amount.minor, currency.code), currency: currency.code };
});

/**
 * Minor units of a stored or computed amount (NUMERIC as text, any scale, signed): RangeError
 * when it is malformed or has significant decimals beyond the currency's minor unit.
 */
export function toMinor(amount: string, currency: string): bigint {
  const digits = minorUnits(currency);
  const minor = parseScaled(amount, digits);
  if (minor !== null) return minor;
  throw new RangeError(isDecimalString(amount) ? `${amount} has more decimals than ${currency}'s ${digits}` : `not a decimal amount: ${amount}`);
}

/** Minor units -> the canonical decimal string of the currency: 150000n USD -> "1500.00", 1500n JPY -> "1500", 1125n KWD -> "1.125". */
export function formatMinor(minor: bigint, currency: string): string {
  return formatScaled(minor, minorUnits(currency));
}

/** The canonical form of an amount in its currency ("12.5" USD -> "12.50", "1500.00" JPY -> "1500"). */
export const canonicalIn = (amount: string, currency: string): string => formatMinor(toMinor(amount, currency), currency);

/** a <=> b, exactly, whatever the scale each is written with; RangeError for two currencies. */
export function compareMoney(a: MoneyValue, b: MoneyValue): -1 | 0 | 1 {
  if (a.currency !== b.currency) throw new RangeError(`cannot compare ${a.currency} with ${b.currency}`);
  const [x, y] = [toMinor(a.amount, a.currency), toMinor(b.amount, b.currency)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The sum of amounts in one currency, in its minor units (stored strings of any scale). */
export const sumMinor = (amounts: readonly string[], currency: string): bigint => amounts.reduce((sum, amount) => sum + toMinor(amount, currency), 0n);

/**
 * minor x factor, rounded half even to the same minor unit: a fee at its rate (1.25 USD at 0.10 ->
 * 0.12), hours x an hourly rate (10.5 h x ¥1999 = 20989.5 -> ¥20990).
 */
export const multiplyMinor = (minor: bigint, factor: ExactDecimal): bigint => multiplyHalfEven(minor, factor);

/**
 * Converts minor units of one currency into minor units of another at `rate` (units of `to` per
 * unit of `from`), rounded half even: 1000n JPY (¥1000) at 0.0067 USD/JPY -> 670n (US$6.70).
 * `to.decimals` overrides the target's minor unit (e.g. 6 for USDC, which ISO 4217 does not list).
 */
export function convertMinor(minor: bigint, from: string, rate: string, to: { currency?: string; decimals?: number }): bigint {
  const fromDigits = minorUnits(from);
  const toDigits = to.decimals ?? minorUnits(to.currency ?? '');
  const { units, scale } = exactDecimal(rate);
  return divideHalfEven(minor * units * 10n ** BigInt(toDigits), scale * 10n ** BigInt(fromDigits));
}

import { BadUserInputError } from '../errors';
import { formatMinor, hasMinorUnits, minorUnits, parseAmountIn } from './currency';

/**
 * Money as every service handles it: a decimal string in major units, computed on as integers
 * (BigInt), never floats. MoneyInput goes through `parseMoney`, which holds each amount to its
 * currency's ISO 4217 minor unit (currency.ts: JPY 0 decimals, USD 2, KWD 3). The cents helpers
 * below (parseAmount, toCents, formatCents, canonicalAmount) are the older two-decimal kit: exact
 * only for two-decimal currencies; amounts in any currency go through currency.ts.
 */
export type RateUnit = 'HOURLY' | 'FIXED';

export interface MoneyValue {
  /** Canonical in its currency: exactly its minor unit's decimals ("1500.00" USD, "1500" JPY, "12.500" KWD). */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
}

/** Every ISO 4217 code this runtime knows (Intl), e.g. USD, EUR, JPY. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (code: string): boolean => CURRENCIES.has(code);

/**
 * A user-given amount: at most 12 integer digits and 2 decimals, so that even a contract's
 * estimated value (x 80 hours x 104 weeks) or an invoice with its fee fits NUMERIC(20,2).
 */
const AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;
/** What NUMERIC columns hand back (any scale), e.g. "1500.00" or "12.5". */
const STORED = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses a user-given amount into cents: a positive decimal string with at most 2 decimals, or BAD_USER_INPUT on `field`. */
export function parseAmount(amount: string, field: string): bigint {
  const match = AMOUNT.exec(amount);
  if (!match) {
    throw new BadUserInputError(`${field} must be a decimal string with at most 2 decimals and 12 digits before the point, e.g. "1250.50"`, field);
  }
  const cents = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (cents <= 0n) throw new BadUserInputError(`${field} must be positive`, field);
  return cents;
}

/**
 * Validates a currency code (trimmed, upper-cased) against ISO 4217, or BAD_USER_INPUT on `field`:
 * a currency this runtime knows that has a minor unit (not the SDR, metals or test codes), so that
 * every amount in it has a defined number of decimals.
 */
export function parseCurrency(currency: string, field: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code)) throw new BadUserInputError(`${field}: unknown ISO 4217 currency "${currency}"`, field);
  // 3 decimals is what the money columns hold; only the funds codes CLF and UYW have 4 (and Intl rarely lists them).
  if (!hasMinorUnits(code) || minorUnits(code) > 3) {
    throw new BadUserInputError(`${field}: ${code} is not a currency amounts can be paid in here (it has no ISO 4217 minor unit, or more than 3 decimals)`, field);
  }
  return code;
}

/**
 * Parses a MoneyInput: a known currency and a positive amount with no more decimals than that
 * currency's minor unit ("1500.5" is refused in JPY, "12.125" is fine in KWD); `field` names the
 * input, e.g. "proposedRate". `amount` is canonical in the currency ("1500" JPY, "85.50" USD).
 */
export function parseMoney(input: { amount: string; currency: string }, field: string): MoneyValue & { minor: bigint } {
  const currency = parseCurrency(input.currency, `${field}.currency`);
  const minor = parseAmountIn(input.amount, currency, `${field}.amount`);
  return { amount: formatMinor(minor, currency), currency, minor };
}

/** Cents of an amount read from the database (NUMERIC as a string); at most two significant decimals. */
export function toCents(amount: string): bigint {
  const match = STORED.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const decimals = (match[3] ?? '').replace(/0+$/, '');
  if (decimals.length > 2) throw new RangeError(`more than 2 decimals: ${amount}`);
  const cents = BigInt(match[2]) * 100n + BigInt(decimals.padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

/** 123456n cents -> "1234.56". */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Canonical form of a stored amount ("12.5" -> "12.50"). */
export const canonicalAmount = (amount: string): string => formatCents(toCents(amount));

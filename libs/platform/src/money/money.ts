import { BadUserInputError } from '../errors';

/**
 * Money as every service handles it: a decimal string in major units with at most two
 * decimals, stored as NUMERIC(20,2), computed on as integer cents (BigInt). Never floats.
 */
export type RateUnit = 'HOURLY' | 'FIXED';

export interface MoneyValue {
  /** Canonical: exactly two decimals ("1500.00"). */
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

/** Validates a currency code (trimmed, upper-cased) against ISO 4217, or BAD_USER_INPUT on `field`. */
export function parseCurrency(currency: string, field: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code)) throw new BadUserInputError(`${field}: unknown ISO 4217 currency "${currency}"`, field);
  return code;
}

/** Parses a MoneyInput: a positive amount and a known currency; `field` names the input, e.g. "proposedRate". */
export function parseMoney(input: { amount: string; currency: string }, field: string): MoneyValue & { cents: bigint } {
  const cents = parseAmount(input.amount, `${field}.amount`);
  return { amount: formatCents(cents), currency: parseCurrency(input.currency, `${field}.currency`), cents };
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

import { BadUserInputError } from '@talent/platform';

/**
 * Money in the payments service: amounts are decimal strings in major units with at most two
 * decimals, stored as NUMERIC(20,2), and computed on as integer cents (BigInt). Never floats.
 * Every rounding here is HALF UP to the cent (all amounts are non-negative).
 */
export type RateUnit = 'HOURLY' | 'FIXED';

export interface Money {
  /** Canonical: exactly two decimals ("1500.00"). */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
}

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** A user-given amount: at most 12 integer digits and 2 decimals (fits NUMERIC(20,2) with the fee). */
const AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;
/** What NUMERIC columns hand back (any scale), e.g. "1500.00" or "12.5". */
const STORED = /^(-?)(\d+)(?:\.(\d+))?$/;
/** Hours as a JSON number prints them (shortest round-trip form): at most 3 integer digits and 2 decimals. */
const HOURS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
/** A fee rate: a decimal between 0 and 1 with at most 4 decimals (NUMERIC(5,4)). */
const FEE_RATE = /^(\d+)(?:\.(\d{1,4}))?$/;

export const MAX_HOURS_PER_INVOICE = 168;

/** Parses a user-given amount into cents: a positive decimal string with at most 2 decimals, or BAD_USER_INPUT on `field`. */
export function parseAmount(amount: string, field: string): bigint {
  const match = AMOUNT.exec(amount.trim());
  if (!match) {
    throw new BadUserInputError(`${field} must be a positive decimal string with at most 2 decimals and 12 digits before the point, e.g. "1250.50"`, field);
  }
  const cents = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (cents <= 0n) throw new BadUserInputError(`${field} must be positive`, field);
  return cents;
}

/** Validates a currency code (trimmed, upper-cased) against ISO 4217, or BAD_USER_INPUT on `field`. */
export function parseCurrency(currency: string, field: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !CURRENCIES.has(code)) throw new BadUserInputError(`${field}: unknown ISO 4217 currency "${currency}"`, field);
  return code;
}

/**
 * Hours worked, in hundredths of an hour: 0 < hours <= 168 with at most 2 decimals, or
 * BAD_USER_INPUT on `field`. The GraphQL Float is read through its shortest decimal form
 * (10.5 -> "10.5"), so no binary floating point error reaches the arithmetic.
 */
export function parseHours(hours: number, field: string): bigint {
  const match = Number.isFinite(hours) ? HOURS.exec(String(hours)) : null;
  if (!match) throw new BadUserInputError(`${field} must be a positive number of hours with at most 2 decimals, e.g. 10.5`, field);
  const hundredths = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (hundredths <= 0n || hundredths > BigInt(MAX_HOURS_PER_INVOICE) * 100n) {
    throw new BadUserInputError(`${field} must be more than 0 and at most ${MAX_HOURS_PER_INVOICE}`, field);
  }
  return hundredths;
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

/** "10.50" hundredths of an hour -> "10.50". */
export const formatHours = (hundredths: bigint): string => formatCents(hundredths);

/** floor(numerator / denominator + 1/2) for non-negative operands: round half up. */
const divideHalfUp = (numerator: bigint, denominator: bigint): bigint => (2n * numerator + denominator) / (2n * denominator);

/** hours x rate, exact, rounded half up to the cent (e.g. 0.01 h x 0.50 = 0.005 -> 0.01). */
export function hourlySubtotal(rateCents: bigint, hoursHundredths: bigint): bigint {
  if (rateCents <= 0n || hoursHundredths <= 0n) throw new RangeError('rate and hours must be positive');
  return divideHalfUp(rateCents * hoursHundredths, 100n);
}

/** A fee rate as an exact fraction: `units` / `scale` (0.10 -> 10 / 100). */
export interface FeeRate {
  units: bigint;
  scale: bigint;
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

/** subtotal x feeRate, rounded half up to the cent. */
export const platformFee = (subtotalCents: bigint, rate: FeeRate): bigint => divideHalfUp(subtotalCents * rate.units, rate.scale);

export interface InvoiceAmounts {
  subtotal: bigint;
  platformFee: bigint;
  /** subtotal + fee: what the client is charged; the talent receives the whole subtotal. */
  total: bigint;
}

export function priceInvoice(subtotalCents: bigint, rate: FeeRate): InvoiceAmounts {
  const fee = platformFee(subtotalCents, rate);
  return { subtotal: subtotalCents, platformFee: fee, total: subtotalCents + fee };
}

import { BadUserInputError, divideHalfEven, formatScaled } from '@talent/platform';

/**
 * Invoice arithmetic on the shared money kit (libs/platform), in integer MINOR UNITS of the
 * invoice's currency as ISO 4217 defines them (JPY 0 decimals, USD 2, KWD 3): an amount is read
 * with `toMinor` / `parseAmountIn`, computed on here, written back with `formatMinor`. Every
 * rounding is HALF EVEN to the currency's minor unit: an exact half goes to the even neighbour
 * (0.125 -> 0.12, 0.135 -> 0.14; ¥20989.5 -> ¥20990, ¥20968.5 -> ¥20968), so that over many
 * invoices the half units cancel out instead of always favouring one side.
 */
export {
  canonicalIn,
  formatMinor,
  minorUnits,
  parseAmountIn,
  parseCurrency,
  toMinor,
  type MoneyValue as Money,
  type RateUnit,
} from '@talent/platform';

/** Hours as a JSON number prints them (shortest round-trip form): at most 3 integer digits and 2 decimals. */
const HOURS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
/** A fee rate: a decimal between 0 and 1 with at most 4 decimals (NUMERIC(5,4)). */
const FEE_RATE = /^(\d+)(?:\.(\d{1,4}))?$/;

export const MAX_HOURS_PER_INVOICE = 168;

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

/** 1050n hundredths of an hour -> "10.50". */
export const formatHours = (hundredths: bigint): string => formatScaled(hundredths, 2);

/**
 * hours x rate, exact, rounded half even to the rate's minor unit: the rate is in minor units of
 * the contract currency and so is the result (USD 0.01 h x 0.50 = 0.005 -> 0.00; JPY 10.5 h x
 * ¥1999 = 20989.5 -> ¥20990). Any currency: the rounding is to the rate's own unit.
 */
export function hourlySubtotal(rateMinor: bigint, hoursHundredths: bigint): bigint {
  if (rateMinor <= 0n || hoursHundredths <= 0n) throw new RangeError('rate and hours must be positive');
  return divideHalfEven(rateMinor * hoursHundredths, 100n);
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

/** subtotal x feeRate, rounded half even to the subtotal's minor unit (USD 0.125 -> 0.12, 0.135 -> 0.14). */
export const platformFee = (subtotalMinor: bigint, rate: FeeRate): bigint => divideHalfEven(subtotalMinor * rate.units, rate.scale);

/** In minor units of the invoice's currency. */
export interface InvoiceAmounts {
  subtotal: bigint;
  platformFee: bigint;
  /** subtotal + fee: what the client is charged; the talent receives the whole subtotal. */
  total: bigint;
}

/** The fee and total of a subtotal (minor units of the invoice's currency); format each with formatMinor. */
export function priceInvoice(subtotalMinor: bigint, rate: FeeRate): InvoiceAmounts {
  const fee = platformFee(subtotalMinor, rate);
  return { subtotal: subtotalMinor, platformFee: fee, total: subtotalMinor + fee };
}

import { BadUserInputError, formatScaled, multiplyMinor } from '@talent/platform';
import type { FeeRate } from '../parameters/fee-rate';

/**
 * What an invoice costs, in integer MINOR units of the contract's currency (platform money:
 * JPY 0 decimals, USD 2, KWD 3), every rounding half even to that unit.
 */

/** Hours as a JSON number prints them (shortest round-trip form): at most 3 integer digits and 2 decimals. */
const HOURS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

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

/** hours x rate, rounded half even to the rate's minor unit (USD 0.01 h x 0.50 = 0.005 -> 0.00; JPY 10.5 h x ¥1999 = 20989.5 -> ¥20990). */
export function hourlySubtotal(rateMinor: bigint, hoursHundredths: bigint): bigint {
  if (rateMinor <= 0n || hoursHundredths <= 0n) throw new RangeError('rate and hours must be positive');
  return multiplyMinor(rateMinor, { units: hoursHundredths, scale: 100n });
}

export interface InvoiceAmounts {
  subtotal: bigint;
  platformFee: bigint;
  /** subtotal + fee: what the client is charged; the talent receives the whole subtotal. */
  total: bigint;
}

/** The fee (subtotal x rate, half even) and total of a subtotal; format each with formatMinor. */
export function priceInvoice(subtotalMinor: bigint, rate: FeeRate): InvoiceAmounts {
  const fee = multiplyMinor(subtotalMinor, rate);
  return { subtotal: subtotalMinor, platformFee: fee, total: subtotalMinor + fee };
}

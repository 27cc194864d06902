import { convertMinor } from '@talent/platform';

/**
 * Converting an amount into US dollars at a rate from payments' `usd_rates` table, exactly:
 * integer minor units of the original currency (¥ for JPY, fils for KWD, cents for EUR) times a
 * decimal rate (at most 10 decimals), rounded half even to the cent. Never floats.
 */
const RATE = /^(\d{1,10})(?:\.(\d{1,10}))?$/;

/** True for a positive decimal rate with at most 10 integer digits and 10 decimals (NUMERIC(20,10)). */
export function isUsdRate(value: string): boolean {
  const match = RATE.exec(value);
  return match !== null && BigInt(match[1] + (match[2] ?? '')) > 0n;
}

/**
 * US cents of `minor` units of `currency` at `rate` (USD per unit of `currency`), rounded half
 * even to the cent: ¥1000 at 0.0067 -> 670n (US$6.70), KWD 1.125 at 3.25 -> 366n (3.65625 -> US$3.66).
 * RangeError for a malformed rate or a negative amount.
 */
export function usdCents(minor: bigint, currency: string, rate: string): bigint {
  if (!isUsdRate(rate)) throw new RangeError(`not a USD rate: ${rate}`);
  if (minor < 0n) throw new RangeError('amounts converted to USD are never negative');
  return convertMinor(minor, currency, rate, { currency: 'USD' });
}

/**
 * Parses USD_RATES ("EUR=1.08,GBP=1.27"): currency -> USD per unit. Throws with the offending
 * entry, so the service refuses to start on a typo instead of converting at a wrong rate.
 */
export function parseUsdRates(text: string): Map<string, string> {
  const rates = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [currency, rate, extra] = entry.split('=').map((p) => p.trim());
    if (extra !== undefined || !/^[A-Z]{3}$/.test(currency ?? '') || !isUsdRate(rate ?? '')) {
      throw new RangeError(`"${entry}" is not CURRENCY=RATE (e.g. EUR=1.08)`);
    }
    rates.set(currency, rate);
  }
  return rates;
}

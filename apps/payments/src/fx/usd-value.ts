/**
 * Converting an amount into US dollars at a rate from payments' `usd_rates` table, exactly:
 * integer cents times a decimal rate (at most 10 decimals), rounded half up to the cent
 * (amounts are never negative). Never floats.
 */
const RATE = /^(\d{1,10})(?:\.(\d{1,10}))?$/;

/** True for a positive decimal rate with at most 10 integer digits and 10 decimals (NUMERIC(20,10)). */
export function isUsdRate(value: string): boolean {
  const match = RATE.exec(value);
  return match !== null && BigInt(match[1] + (match[2] ?? '')) > 0n;
}

/** cents x rate, rounded half up to the cent; RangeError for a malformed rate or negative cents. */
export function usdCents(cents: bigint, rate: string): bigint {
  const match = RATE.exec(rate);
  if (!match || !isUsdRate(rate)) throw new RangeError(`not a USD rate: ${rate}`);
  if (cents < 0n) throw new RangeError('amounts converted to USD are never negative');
  const decimals = match[2] ?? '';
  const units = BigInt(match[1] + decimals);
  const scale = 10n ** BigInt(decimals.length);
  return (2n * cents * units + scale) / (2n * scale);
}

/**
 * Parses USD_RATES ("EUR=1.08,GBP=1.27"): currency -> USD per unit. Throws with the offending
 * entry, so the service refuses to start on a typo instead of converting at a wrong rate.
 */
export function parseUsdRates(text: string): Map<string, string> {
  const rates = new Map<string, string>();
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [currency, rate, extra] = entry.split('=').map((p) => p.trim());
    if (extra !== undefined || !/^[A-Z]{3}$/.test(currency ?? '') || !isUsdRate(rate ?? '')) {
      throw new RangeError(`"${entry}" is not CURRENCY=RATE (e.g. EUR=1.08)`);
    }
    rates.set(currency, rate);
  }
  return rates;
}

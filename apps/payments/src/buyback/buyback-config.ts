/**
 * The local adapters' configuration: USDC per unit of each fiat currency (BUYBACK_USDC_RATES)
 * and the BTRST price (BTRST_PRICE_USDC). Parsed strictly so that a typo stops the service at
 * boot instead of converting fees at a wrong rate.
 */
const DECIMAL = /^(\d{1,20})(?:\.(\d{1,18}))?$/;

/** A positive decimal with at most 20 integer digits and 18 decimals (NUMERIC(38,18)). */
export function isPositiveDecimal(value: string): boolean {
  const match = DECIMAL.exec(value);
  return match !== null && BigInt(match[1] + (match[2] ?? '')) > 0n;
}

/** "USD=1,EUR=1.08" -> currency -> USDC per unit; RangeError naming the offending entry. */
export function parseUsdcRates(text: string): Map<string, string> {
  const rates = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [currency, rate, extra] = entry.split('=').map((p) => p.trim());
    if (extra !== undefined || !/^[A-Z]{3}$/.test(currency ?? '') || !isPositiveDecimal(rate ?? '')) {
      throw new RangeError(`"${entry}" is not CURRENCY=USDC_PER_UNIT (e.g. EUR=1.08)`);
    }
    if (rates.has(currency)) throw new RangeError(`${currency} is given twice`);
    rates.set(currency, rate);
  }
  return rates;
}

import { convertMinor, exactDecimal, formatScaled, fromUnits, quotientUnits, toMinor } from '@talent/platform';
import { USDC_DECIMALS } from './fx-adapter';

/**
 * The buyback's arithmetic, exact (BigInt), never floats:
 * - fiat -> USDC: the fees' minor units x the rate (USDC per unit), rounded HALF EVEN to USDC's
 *   6 decimals (what the local FX adapter fills; a real exchange reports its own fill);
 * - USDC -> BTRST: usdc / price (USDC per BTRST), rounded DOWN to BTRST's 18 decimals, so the
 *   treasury is never credited more than was bought.
 */

/** USDC for `amount` of `currency` at `usdcPerUnit`: "100.00" EUR at "1.08" -> "108.000000". */
export function usdcFor(amount: string, currency: string, usdcPerUnit: string): string {
  return formatScaled(convertMinor(toMinor(amount, currency), currency, usdcPerUnit, { decimals: USDC_DECIMALS }), USDC_DECIMALS);
}

/** BTRST bought with `usdc` at `usdcPerBtrst`, rounded down to 18 decimals, canonical ("10" / "0.3" -> "33.333333333333333333"). */
export function btrstFor(usdc: string, usdcPerBtrst: string): string {
  const price = exactDecimal(usdcPerBtrst);
  if (price.units === 0n) throw new RangeError('the BTRST price must be positive');
  return fromUnits(quotientUnits(exactDecimal(usdc), price));
}

/** USDC as exactly 6 decimals ("108" -> "108.000000"); RangeError for a negative amount or more than 6 significant decimals. */
export function canonicalUsdc(value: string): string {
  const { units, scale } = exactDecimal(value);
  const target = 10n ** BigInt(USDC_DECIMALS);
  if ((units * target) % scale !== 0n) throw new RangeError(`${value} has more than ${USDC_DECIMALS} decimals`);
  return formatScaled((units * target) / scale, USDC_DECIMALS);
}

/**
 * Exact decimal arithmetic for governance: decimal strings <-> BigInt units of 10^-decimals
 * (BTRST has 18 decimals). Used for tallies and quorums, grant amounts, jury weights and the
 * governed parameters' values and bounds. Never floats.
 */
const BTRST_DECIMALS = 18;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Units of 10^-decimals of a decimal string ("-12.5"), or null when it is not one or has more significant decimals. */
export function parseUnits(value: string, decimals: number = BTRST_DECIMALS): bigint | null {
  const match = DECIMAL.exec(value);
  if (!match) return null;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const units = BigInt(match[2] + fraction.padEnd(decimals, '0'));
  return match[1] === '-' ? -units : units;
}

/** Units of 10^-decimals as the canonical decimal string: no trailing fractional zeros ("0.5", "25", "-0.25", "0"). */
export function formatUnits(units: bigint, decimals: number = BTRST_DECIMALS): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const fraction = decimals === 0 ? '' : (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / scale}${fraction ? `.${fraction}` : ''}`;
}

/** Units of 1e-18 of a decimal string ("12.5", or NUMERIC text "12.500000000000000000"). Throws beyond 18 decimals. */
export function toUnits(value: string): bigint {
  const trimmed = value.trim();
  const units = parseUnits(trimmed);
  if (units !== null) return units;
  throw new Error(DECIMAL.test(trimmed) ? `more than ${BTRST_DECIMALS} decimals: ${value}` : `not a decimal: ${value}`);
}

/** The decimal string of units of 1e-18, without trailing zeros ("12.5", "0"). */
export const fromUnits = (units: bigint): string => formatUnits(units);

/** A NUMERIC value as the API shows it ("10.500000000000000000" -> "10.5"). */
export const canonicalDecimal = (value: string): string => fromUnits(toUnits(value));

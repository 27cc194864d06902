/**
 * Exact token arithmetic for governance (BTRST has 18 decimals): decimal strings <-> BigInt
 * units of 1e-18. Never floats.
 */
const SCALE = 18;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Units of 1e-18 of a decimal string ("12.5", or NUMERIC text "12.500000000000000000"). Throws beyond 18 decimals. */
export function toUnits(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new Error(`not a decimal: ${value}`);
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${value}`);
  const units = BigInt(match[2]) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0') || '0');
  return match[1] === '-' ? -units : units;
}

/** The decimal string of units of 1e-18, without trailing zeros ("12.5", "0"). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / 10n ** BigInt(SCALE);
  const fraction = (abs % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A NUMERIC value as the API shows it ("10.500000000000000000" -> "10.5"). */
export const canonicalDecimal = (value: string): string => fromUnits(toUnits(value));

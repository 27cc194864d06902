/**
 * BTRST amounts: decimal strings at the edges, NUMERIC(36,18) in PostgreSQL, and BigInt
 * counts of 1e-18 units in between. Never JavaScript floats.
 */
export const DECIMALS = 18;
const SCALE = 10n ** BigInt(DECIMALS);
/** NUMERIC(36,18) holds at most 18 integer digits. */
export const MAX_UNITS = 10n ** 36n - 1n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export class DecimalFormatError extends Error {
  constructor(value: string, why: string) {
    super(`"${value}" is not a valid amount: ${why}`);
    this.name = 'DecimalFormatError';
  }
}

/** Parses a decimal string into units of 1e-18; more than 18 decimals (or a malformed string) throws. */
export function toUnits(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new DecimalFormatError(value, 'expected a decimal string such as "12.5"');
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > DECIMALS) throw new DecimalFormatError(value, `at most ${DECIMALS} decimals`);
  const units = BigInt(whole) * SCALE + BigInt(significant.padEnd(DECIMALS, '0') || '0');
  return sign ? -units : units;
}

/**
 * Parses a decimal string with any number of decimals, truncating toward zero to 18
 * (for values that are not token amounts, e.g. a contract value in USD).
 */
export function toUnitsTruncated(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new DecimalFormatError(value, 'expected a decimal string such as "12.5"');
  const [, sign, whole, fraction = ''] = match;
  return toUnits(`${sign ?? ''}${whole}.${fraction.slice(0, DECIMALS) || '0'}`);
}

/** The canonical decimal string of a unit count: no exponent, no trailing zeros ("25", "0.05", "-1.5"). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Canonical form of a decimal string (e.g. PostgreSQL's "25.000000000000000000" -> "25"). */
export const normalize = (value: string): string => fromUnits(toUnits(value));

/** a x b for two 18-decimal fixed-point values, truncated toward zero to 18 decimals. */
export function mulUnits(a: bigint, b: bigint): bigint {
  return (a * b) / SCALE;
}

export const negate = (value: string): string => fromUnits(-toUnits(value));

export const sumUnits = (values: readonly bigint[]): bigint => values.reduce((acc, v) => acc + v, 0n);

/** True for a strictly positive amount with at most 18 decimals that fits NUMERIC(36,18). */
export function isValidPositiveAmount(value: string): boolean {
  try {
    const units = toUnits(value);
    return units > 0n && units <= MAX_UNITS;
  } catch {
    return false;
  }
}

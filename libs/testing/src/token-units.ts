/** A BTRST (or any decimal) amount as exact 1e-18 units, for tests that add and compare amounts: never floats. */
export function tokenUnits(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  if (fraction.length > 18 || !/^\d+$/.test(whole + fraction)) throw new RangeError(`not an 18-decimal amount: ${value}`);
  const units = BigInt(whole + fraction.padEnd(18, '0'));
  return negative ? -units : units;
}

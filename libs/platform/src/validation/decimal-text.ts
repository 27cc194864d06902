/**
 * A NUMERIC value as PostgreSQL returns it ("10.500000000000000000"), written the way the
 * API shows decimals: no trailing zeros after the point ("10.5", "10"). Text only: no
 * conversion through floating point.
 */
export function trimDecimal(value: string): string {
  if (!value.includes('.')) return value;
  const trimmed = value.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

import { divideHalfEven, formatMinor, toMinor } from '@talent/platform';

/** grossServiceValue (USD, 2 decimals) / contracts, rounded half even to the cent; null without contracts. */
export function averageProjectSize(grossUsd: string, contracts: number): string | null {
  if (contracts <= 0) return null;
  return formatMinor(divideHalfEven(toMinor(grossUsd, 'USD'), BigInt(contracts)), 'USD');
}

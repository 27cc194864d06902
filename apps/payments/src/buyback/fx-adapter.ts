import type { Money } from '@talent/platform';

/** USDC has 6 decimals (its on-chain unit); amounts of USDC are decimal strings with exactly 6. */
export const USDC_DECIMALS = 6;

export interface FiatToUsdcRequest {
  /**
   * Idempotency: the same reference always names the same order. A real adapter passes it as the
   * exchange's client order id and, asked again (a retry after a crash or a lost answer), returns
   * the fill of the first order instead of placing a second one.
   */
  reference: string;
  /** The fees to sell, in their currency (canonical minor units). */
  amount: Money;
}

export interface FiatToUsdcResult {
  /** USDC received, exactly 6 decimals, e.g. "108.000000". */
  usdcAmount: string;
  /** USDC per unit of the sold currency at the fill, e.g. "1.08". */
  rate: string;
}

/** Sells fiat for USDC (an exchange or an on-ramp). */
export interface FiatToUsdc {
  convert(request: FiatToUsdcRequest): Promise<FiatToUsdcResult>;
}

export const FIAT_TO_USDC = Symbol('FiatToUsdc');

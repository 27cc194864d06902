/** The BTRST price in USDC at one moment (an oracle or an exchange's order book). */
export interface BtrstPrice {
  /** USDC per BTRST, a positive decimal string with at most 18 decimals, e.g. "0.25". */
  usdcPerBtrst: string;
  /** When the feed observed this price. */
  at: Date;
}

export interface BtrstPriceFeed {
  price(): Promise<BtrstPrice>;
}

export const BTRST_PRICE_FEED = Symbol('BtrstPriceFeed');

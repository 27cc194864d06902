import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import type { BtrstPrice, BtrstPriceFeed } from './price-feed';

/**
 * The local stand-in for a BTRST price oracle: always BTRST_PRICE_USDC (default "0.25" USDC per
 * BTRST), after LOCAL_PRICE_FEED_DELAY_MS (a slow network; tests kill the service meanwhile).
 */
@Injectable()
export class LocalPriceFeed implements BtrstPriceFeed {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'BTRST_PRICE_USDC' | 'LOCAL_PRICE_FEED_DELAY_MS'>) {}

  async price(): Promise<BtrstPrice> {
    if (this.config.LOCAL_PRICE_FEED_DELAY_MS > 0) await sleep(this.config.LOCAL_PRICE_FEED_DELAY_MS);
    return { usdcPerBtrst: this.config.BTRST_PRICE_USDC, at: new Date() };
  }
}

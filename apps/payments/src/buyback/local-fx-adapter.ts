import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, toMinor } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { parseUsdcRates } from './buyback-config';
import { usdcFor } from './buyback-math';
import type { FiatToUsdc, FiatToUsdcRequest, FiatToUsdcResult } from './fx-adapter';

/** A currency the FX side does not quote: the fees wait (the conversion stays CLAIMED) until it does. */
export class UnquotedCurrencyError extends Error {
  constructor(currency: string) {
    super(`no USDC rate for ${currency} (BUYBACK_USDC_RATES)`);
    this.name = 'UnquotedCurrencyError';
  }
}

/**
 * The local stand-in for an exchange, at the documented rates of BUYBACK_USDC_RATES (USDC per
 * unit, default USD=1, EUR=1.08, GBP=1.27, JPY=0.0067, KWD=3.25). Each order is committed in its
 * own table (`local_fx_conversions`) keyed by reference, like a remote exchange's client order
 * id: asked again with the same reference, it returns the first fill. LOCAL_FX_DELAY_MS sleeps
 * AFTER the order is recorded, like an answer that is slow to come back: a crash meanwhile leaves
 * an order filled on the exchange's side that the retry must find, not place again.
 */
@Injectable()
export class LocalFxAdapter implements FiatToUsdc {
  private readonly rates: Map<string, string>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'BUYBACK_USDC_RATES' | 'LOCAL_FX_DELAY_MS'>,
  ) {
    this.rates = parseUsdcRates(config.BUYBACK_USDC_RATES);
  }

  async convert({ reference, amount }: FiatToUsdcRequest): Promise<FiatToUsdcResult> {
    const known = await this.find(reference);
    if (known) return this.sameOrder(known, amount);
    const rate = this.rates.get(amount.currency);
    if (!rate) throw new UnquotedCurrencyError(amount.currency);
    const usdcAmount = usdcFor(amount.amount, amount.currency, rate);
    await this.dataSource.query(
      `INSERT INTO local_fx_conversions (reference, currency, amount, usdc_amount, rate) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (reference) DO NOTHING`,
      [reference, amount.currency, amount.amount, usdcAmount, rate],
    );
    if (this.config.LOCAL_FX_DELAY_MS > 0) await sleep(this.config.LOCAL_FX_DELAY_MS);
    // Two callers at once with one reference: whichever inserted first, both get its fill.
    const filled = await this.find(reference);
    if (!filled) throw new Error(`local FX order ${reference} vanished`);
    return this.sameOrder(filled, amount);
  }

  private sameOrder(row: FxRow, amount: FiatToUsdcRequest['amount']): FiatToUsdcResult {
    // Like an exchange: a client order id reused with other parameters is an error, not a new order.
    if (row.currency !== amount.currency || toMinor(row.amount, row.currency) !== toMinor(amount.amount, amount.currency)) {
      throw new Error(`FX reference ${row.reference} was used for another amount`);
    }
    return { usdcAmount: row.usdc_amount, rate: row.rate };
  }

  private async find(reference: string): Promise<FxRow | null> {
    const rows: FxRow[] = await this.dataSource.query(
      `SELECT reference, currency, amount::text AS amount, usdc_amount::text AS usdc_amount, trim_scale(rate)::text AS rate
         FROM local_fx_conversions WHERE reference = $1`,
      [reference],
    );
    return rows[0] ?? null;
  }
}

interface FxRow {
  reference: string;
  currency: string;
  amount: string;
  usdc_amount: string;
  rate: string;
}

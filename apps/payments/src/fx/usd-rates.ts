import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { APP_CONFIG, formatMinor, ROOT_LOGGER, toMinor } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { parseUsdRates, usdCents } from './usd-value';

export interface UsdValue {
  /** The amount in USD, canonical 2 decimals. */
  amount: string;
  /** USD per unit of the original currency, as stored ("1" for USD). */
  rate: string;
}

/** payments' own rate table (`usd_rates`): the USD value of what was paid. */
@Injectable()
export class UsdRates implements OnModuleInit {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: PaymentsConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'usd-rates' });
  }

  /** Rates from USD_RATES replace the stored ones at start (USD itself stays 1). */
  async onModuleInit(): Promise<void> {
    const rates = [...parseUsdRates(this.config.USD_RATES)].filter(([currency]) => currency !== 'USD');
    for (const [currency, rate] of rates) {
      await this.dataSource.query(
        `INSERT INTO usd_rates (currency, usd_per_unit) VALUES ($1, $2)
         ON CONFLICT (currency) DO UPDATE SET usd_per_unit = EXCLUDED.usd_per_unit, updated_at = now()`,
        [currency, rate],
      );
    }
    if (rates.length) this.log.info({ currencies: rates.map(([c]) => c) }, 'USD rates loaded from USD_RATES');
  }

  /**
   * The USD values of `amounts` (decimal strings in `currency`, at most its minor unit's decimals)
   * at the current rate, each rounded half even to the cent, in the same order; null when there
   * is no rate. One rate read for all of them, so they are converted at the same rate.
   */
  async usdValues(tx: EntityManager, amounts: readonly string[], currency: string): Promise<UsdValue[] | null> {
    const rows: Array<{ rate: string }> = await tx.query(`SELECT trim_scale(usd_per_unit)::text AS rate FROM usd_rates WHERE currency = $1`, [currency]);
    if (rows.length === 0) return null;
    const rate = rows[0].rate;
    return amounts.map((amount) => ({ amount: formatMinor(usdCents(toMinor(amount, currency), currency, rate), 'USD'), rate }));
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canonicalDecimal, canonicalIn } from '@talent/platform';
import { canonicalUsdc } from '../buyback/buyback-math';
import type { NetworkStatsModel } from './network-stats.model';
import { averageProjectSize } from './network-stats';

const usd = (amount: string) => ({ amount: canonicalIn(amount, 'USD'), currency: 'USD' });

/** The network dashboard's figures, from payments' own tables (invoices, contracts, fee_conversions). */
@Injectable()
export class NetworkStatsService {
  constructor(private readonly dataSource: DataSource) {}

  async stats(): Promise<NetworkStatsModel> {
    // One statement: the figures are of one snapshot (a conversion executing meanwhile shows in all of them or none).
    const [row]: Array<{
      gross: string;
      fees: string;
      paid: number;
      unpriced: number;
      priced_contracts: number;
      active: number;
      btrst: string;
      usdc: string;
      conversions: number;
    }> = await this.dataSource.query(`
      SELECT p.gross, p.fees, p.paid, p.unpriced, p.priced_contracts, c.active, b.btrst, b.usdc, b.conversions
        FROM (SELECT coalesce(sum(total_usd), 0)::text AS gross,
                     coalesce(sum(platform_fee_usd), 0)::text AS fees,
                     count(*)::int AS paid,
                     (count(*) FILTER (WHERE total_usd IS NULL))::int AS unpriced,
                     (count(DISTINCT contract_id) FILTER (WHERE total_usd IS NOT NULL))::int AS priced_contracts
                FROM invoices WHERE status = 'PAID') p,
             (SELECT count(*)::int AS active FROM contracts WHERE status = 'ACTIVE') c,
             (SELECT coalesce(sum(btrst_bought), 0)::text AS btrst, coalesce(sum(usdc_amount), 0)::text AS usdc, count(*)::int AS conversions
                FROM fee_conversions WHERE status = 'EXECUTED') b`);
    const average = averageProjectSize(row.gross, row.priced_contracts);
    return {
      grossServiceValue: usd(row.gross),
      feesCollected: usd(row.fees),
      btrstBoughtBack: canonicalDecimal(row.btrst),
      activeContracts: row.active,
      // Divided by the contracts whose value is in the sum: an unpriced contract would only dilute it.
      averageProjectSize: average === null ? null : { amount: average, currency: 'USD' },
      paidInvoices: row.paid,
      unpricedPaidInvoices: row.unpriced,
      usdcConverted: canonicalUsdc(row.usdc),
      feeConversionCount: row.conversions,
    };
  }
}

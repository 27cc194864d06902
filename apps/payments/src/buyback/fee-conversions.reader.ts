import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canonicalDecimal, canonicalIn } from '@talent/platform';
import { canonicalUsdc } from './buyback-math';
import type { ConvertedFeeModel, FeeConversionModel } from './fee-conversion.model';

interface ConversionRow {
  id: string;
  currency: string;
  fees: string;
  invoice_count: number;
  usdc_amount: string;
  usdc_rate: string;
  price: string;
  price_at: Date;
  btrst_bought: string;
  executed_at: Date;
}

const COLUMNS = `id, currency, fees::text AS fees, invoice_count, usdc_amount::text AS usdc_amount, usdc_rate::text AS usdc_rate,
  price::text AS price, price_at, btrst_bought::text AS btrst_bought, executed_at`;

const toModel = (r: ConversionRow): FeeConversionModel => ({
  id: r.id,
  fees: { amount: canonicalIn(r.fees, r.currency), currency: r.currency },
  usdcAmount: canonicalUsdc(r.usdc_amount),
  btrstBought: canonicalDecimal(r.btrst_bought),
  price: canonicalDecimal(r.price),
  executedAt: r.executed_at,
  invoiceCount: r.invoice_count,
  usdcRate: canonicalDecimal(r.usdc_rate),
  priceAt: r.price_at,
});

/** The public read side of the buyback: executed conversions only (one in progress is not a fact yet). */
@Injectable()
export class FeeConversionsReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  async latest(first: number): Promise<FeeConversionModel[]> {
    const rows: ConversionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM fee_conversions WHERE status = 'EXECUTED' ORDER BY executed_at DESC, id DESC LIMIT $1`,
      [first],
    );
    return rows.map(toModel);
  }

  async byId(id: string): Promise<FeeConversionModel | null> {
    const rows: ConversionRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM fee_conversions WHERE id = $1 AND status = 'EXECUTED'`, [id]);
    return rows[0] ? toModel(rows[0]) : null;
  }

  /** The converted fees of several conversions in one query (FeeConversion.invoices of a whole list), oldest payment first. */
  async convertedFees(conversionIds: string[]): Promise<Map<string, ConvertedFeeModel[]>> {
    const result = new Map<string, ConvertedFeeModel[]>(conversionIds.map((id) => [id, []]));
    const rows: Array<{ conversion_id: string; invoice_id: string; amount: string; currency: string; paid_at: Date }> = await this.dataSource.query(
      `SELECT a.conversion_id, a.invoice_id, a.amount::text AS amount, a.currency, i.paid_at
         FROM fee_accruals a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.conversion_id = ANY($1::uuid[])
        ORDER BY i.paid_at, a.invoice_id`,
      [conversionIds],
    );
    for (const r of rows) {
      result
        .get(r.conversion_id)
        ?.push({ invoiceId: r.invoice_id, fee: { amount: canonicalIn(r.amount, r.currency), currency: r.currency }, paidAt: r.paid_at });
    }
    return result;
  }
}

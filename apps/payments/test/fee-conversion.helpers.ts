import { randomUUID } from 'node:crypto';
import type { Stack } from '@talent/testing';
import { paymentsSql } from './helpers';

/**
 * Paid invoices written straight into payments' database (a contract, PAID invoices and their fee
 * accruals, as the payment confirmation records them), so that the buyback tests do not wait for
 * the provider's asynchronous confirmations: they test what happens to fees once accrued.
 */
export async function paidContract(
  stack: Stack,
  currency: string,
  invoices: Array<{ fee: string; feeRate?: string; subtotal?: string; usdRate?: string | null }>,
  status: 'ACTIVE' | 'COMPLETED' = 'ACTIVE',
): Promise<{ contractId: string; invoiceIds: string[] }> {
  const contractId = randomUUID();
  await paymentsSql(
    stack,
    `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at, ended_at)
     VALUES ($1, $2, $3, 100, 'FIXED', $4, $5::text, now() - interval '30 days', CASE WHEN $5::text = 'ACTIVE' THEN NULL ELSE now() END)`,
    [contractId, randomUUID(), randomUUID(), currency, status],
  );
  const invoiceIds: string[] = [];
  for (const invoice of invoices) {
    const id = randomUUID();
    const subtotal = invoice.subtotal ?? '1000';
    const usdRate = invoice.usdRate === undefined ? '1' : invoice.usdRate;
    await paymentsSql(
      stack,
      `INSERT INTO invoices (id, contract_id, talent_id, client_id, description, subtotal, platform_fee, fee_rate, total, currency, status,
                             provider_reference, created_at, approved_at, paid_at, subtotal_usd, usd_rate, total_usd, platform_fee_usd)
       SELECT $1::uuid, c.id, c.talent_id, c.client_id, 'Milestone', $2::numeric, $3::numeric, $4::numeric, $2::numeric + $3::numeric, c.currency, 'PAID',
              $7::text, now(), now(), clock_timestamp(),
              round($2::numeric * $5::numeric, 2), $5::numeric, round(($2::numeric + $3::numeric) * $5::numeric, 2), round($3::numeric * $5::numeric, 2)
         FROM contracts c WHERE c.id = $6`,
      [id, subtotal, invoice.fee, invoice.feeRate ?? '0.1', usdRate, contractId, `ch_${id.replaceAll('-', '')}`],
    );
    await paymentsSql(stack, `INSERT INTO fee_accruals (invoice_id, contract_id, amount, currency, fee_rate, accrued_at) VALUES ($1, $2, $3, $4, $5, now())`, [
      id,
      contractId,
      invoice.fee,
      currency,
      invoice.feeRate ?? '0.1',
    ]);
    invoiceIds.push(id);
  }
  return { contractId, invoiceIds };
}

export const FEE_CONVERSIONS = `query ($first: Int) { feeConversions(first: $first) {
  id fees { amount currency } usdcAmount usdcRate btrstBought price executedAt priceAt invoiceCount
  invoices { invoiceId fee { amount currency } paidAt } } }`;

export interface FeeConversionView {
  id: string;
  fees: { amount: string; currency: string };
  usdcAmount: string;
  usdcRate: string;
  btrstBought: string;
  price: string;
  executedAt: string;
  priceAt: string;
  invoiceCount: number;
  invoices: Array<{ invoiceId: string; fee: { amount: string; currency: string }; paidAt: string }>;
}

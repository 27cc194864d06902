import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCents } from '../money/money';
import type { ChargeRequest, ChargeResult, PaymentProvider } from './payment-provider';

/** The deterministic decline of the local provider: a total whose cents are .13 (e.g. 110.13). */
export const DECLINED_CENTS = 13n;
export const DECLINE_REASON = 'card_declined';

interface ChargeRow {
  id: string;
  status: 'SUCCEEDED' | 'DECLINED';
  decline_reason: string | null;
  amount: string;
  currency: string;
}

const toResult = (row: ChargeRow): ChargeResult =>
  row.status === 'SUCCEEDED' ? { status: 'SUCCEEDED', chargeId: row.id } : { status: 'DECLINED', chargeId: row.id, reason: row.decline_reason ?? DECLINE_REASON };

/**
 * A stand-in provider for local runs and tests: records charges in its own table
 * (`provider_charges`), one per idempotency key, each committed on its own like a remote call.
 * Any amount succeeds except one whose cents are .13, declined with 'card_declined'.
 */
@Injectable()
export class LocalPaymentProvider implements PaymentProvider {
  constructor(private readonly dataSource: DataSource) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const cents = toCents(request.amount.amount);
    const declined = cents % 100n === DECLINED_CENTS;
    const inserted: ChargeRow[] = await this.dataSource.query(
      `INSERT INTO provider_charges (id, idempotency_key, reference, amount, currency, status, decline_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, status, decline_reason, amount::text, currency`,
      [`ch_${randomUUID().replaceAll('-', '')}`, request.idempotencyKey, request.reference, request.amount.amount, request.amount.currency, declined ? 'DECLINED' : 'SUCCEEDED', declined ? DECLINE_REASON : null],
    );
    if (inserted.length > 0) return toResult(inserted[0]);
    const existing = await this.findRow(request.idempotencyKey);
    if (!existing) throw new Error('provider charge vanished');
    // Like real providers: a key reused with different parameters is an error, not a new charge.
    if (toCents(existing.amount) !== cents || existing.currency !== request.amount.currency) {
      throw new Error('idempotency key reused with a different amount');
    }
    return toResult(existing);
  }

  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    const row = await this.findRow(idempotencyKey);
    return row ? toResult(row) : null;
  }

  private async findRow(idempotencyKey: string): Promise<ChargeRow | null> {
    const rows: ChargeRow[] = await this.dataSource.query(
      `SELECT id, status, decline_reason, amount::text AS amount, currency FROM provider_charges WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return rows[0] ?? null;
  }
}

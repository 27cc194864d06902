import type { Money } from '../money/money';

/** Injection token of the PaymentProvider implementation. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface ChargeRequest {
  /** The provider deduplicates on it: a repeated request returns the first charge, never a second one. */
  idempotencyKey: string;
  amount: Money;
  /** Our reference, e.g. the invoice id (no card or bank data). */
  reference: string;
}

export type ChargeResult =
  | { status: 'SUCCEEDED'; chargeId: string }
  | { status: 'DECLINED'; chargeId: string; reason: string };

/**
 * A fiat payment provider (card, bank). Calls are made OUTSIDE database transactions; every
 * charge carries an idempotency key so a retried call never charges twice.
 */
export interface PaymentProvider {
  /** Charges the client; with a key seen before, returns that charge's outcome without charging again. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** The charge made with this key, or null when none was made (recovery after a crash). */
  findCharge(idempotencyKey: string): Promise<ChargeResult | null>;
}

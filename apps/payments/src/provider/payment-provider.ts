import type { MoneyValue as Money } from '@talent/platform';

/** Injection token of the PaymentProvider implementation. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface ChargeRequest {
  /** The provider deduplicates on it: a repeated request returns the first charge, never a second one. */
  idempotencyKey: string;
  amount: Money;
  /** Our reference, e.g. the invoice id (no card or bank data). */
  reference: string;
}

/**
 * A charge as the provider reports it. Like real card and bank providers, a charge is usually
 * PENDING when created and settles later: the outcome arrives by webhook (`ChargeConfirmation`),
 * or is asked for by idempotency key (`findCharge`) when the webhook is late or lost.
 */
export type ChargeResult =
  { status: 'PENDING'; chargeId: string } | { status: 'SUCCEEDED'; chargeId: string } | { status: 'DECLINED'; chargeId: string; reason: string };

export type SettledCharge = Exclude<ChargeResult, { status: 'PENDING' }>;

/** A verified webhook's meaning: the outcome of the charge made with `idempotencyKey`. */
export interface ChargeConfirmation {
  idempotencyKey: string;
  amount: Money;
  result: SettledCharge;
}

/**
 * A fiat payment provider (card, bank). Calls are made OUTSIDE database transactions, with a
 * deadline (`signal`); every charge carries an idempotency key so a retried call never charges twice.
 */
export interface PaymentProvider {
  /** Charges the client; with a key seen before, returns that charge without charging again. */
  charge(request: ChargeRequest, options: { signal: AbortSignal }): Promise<ChargeResult>;
  /** The charge made with this key, or null when none was made (recovery after a crash or a timeout). */
  findCharge(idempotencyKey: string, options: { signal: AbortSignal }): Promise<ChargeResult | null>;
  /**
   * Reads a webhook's body, already verified against its signature: the confirmation it carries,
   * or null for an event type payments does not act on.
   */
  parseConfirmation(type: string, body: unknown): ChargeConfirmation | null;
}

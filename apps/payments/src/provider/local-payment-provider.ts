import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, JobQueue, ProcessesJob, ROOT_LOGGER, toMinor, type JobData } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { SettleLocalCharge } from './local-provider.jobs';
import type { ChargeConfirmation, ChargeRequest, ChargeResult, PaymentProvider } from './payment-provider';

/**
 * Test amounts of the local provider, like a real provider's test cards: a total whose last two
 * digits in minor units are
 * - 13 (e.g. 110.13 USD, ¥1113) is DECLINED with `card_declined` (by webhook, a moment later);
 * - 31 (e.g. 110.31 USD) makes the charge call time out: the charge is made and settles, but
 *   the answer never comes and its webhook is lost; only asking by idempotency key finds it
 *   (payments' approval sweep does).
 * Any other amount succeeds, confirmed by webhook after LOCAL_PROVIDER_CONFIRM_DELAY_MS.
 */
export const DECLINED_ENDING = 13n;
export const TIMEOUT_ENDING = 31n;
export const DECLINE_REASON = 'card_declined';

/** The webhook path payments serves, which the local provider delivers to by default. */
export const WEBHOOK_PATH = '/webhooks/payment-provider';

interface ChargeRow {
  id: string;
  idempotency_key: string;
  reference: string;
  status: 'PENDING' | 'SUCCEEDED' | 'DECLINED';
  decline_reason: string | null;
  amount: string;
  currency: string;
  webhook_lost: boolean;
}

const CHARGE_COLUMNS = 'id, idempotency_key, reference, status, decline_reason, amount::text AS amount, currency, webhook_lost';

const toResult = (row: ChargeRow): ChargeResult =>
  row.status === 'DECLINED' ? { status: 'DECLINED', chargeId: row.id, reason: row.decline_reason ?? DECLINE_REASON } : { status: row.status, chargeId: row.id };

/** The local provider's webhook body (a real adapter parses its provider's own format). */
const LocalWebhookBody = z.object({
  type: z.enum(['charge.succeeded', 'charge.failed']),
  data: z.object({
    id: z.string(),
    idempotency_key: z.string(),
    amount: z.object({ amount: z.string(), currency: z.string() }),
    failure_reason: z.string().nullable(),
  }),
});

/** Resolves never; rejects with the signal's reason once it aborts (a call that hangs until the caller's deadline). */
const hangUntilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/**
 * A stand-in provider for local runs and tests that behaves like a remote one: charges are
 * recorded in its own table (`provider_charges`, one per idempotency key, each committed on its
 * own like a remote call), answered PENDING, settled a moment later by a BullMQ job, and
 * confirmed by a Standard Webhooks signed POST to payments' endpoint over HTTP.
 */
@Injectable()
export class LocalPaymentProvider implements PaymentProvider {
  private readonly log: Logger;
  private readonly signer: Webhook;

  constructor(
    private readonly dataSource: DataSource,
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: PaymentsConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'local-payment-provider' });
    this.signer = new Webhook(config.PAYMENT_WEBHOOK_SECRET);
  }

  async charge(request: ChargeRequest, options: { signal: AbortSignal }): Promise<ChargeResult> {
    const minor = toMinor(request.amount.amount, request.amount.currency);
    const timesOut = minor % 100n === TIMEOUT_ENDING;
    const inserted: ChargeRow[] = await this.dataSource.query(
      `INSERT INTO provider_charges (id, idempotency_key, reference, amount, currency, status, webhook_lost)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${CHARGE_COLUMNS}`,
      [`ch_${randomUUID().replaceAll('-', '')}`, request.idempotencyKey, request.reference, request.amount.amount, request.amount.currency, timesOut],
    );
    let row = inserted[0];
    if (row) {
      await this.jobs?.add(SettleLocalCharge, { chargeId: row.id }, { jobId: `settle-${row.id}`, delay: this.config.LOCAL_PROVIDER_CONFIRM_DELAY_MS });
    } else {
      row = (await this.findRow(request.idempotencyKey)) as ChargeRow;
      if (!row) throw new Error('provider charge vanished');
      // Like real providers: a key reused with different parameters is an error, not a new charge.
      if (toMinor(row.amount, row.currency) !== minor || row.currency !== request.amount.currency) {
        throw new Error('idempotency key reused with a different amount');
      }
    }
    if (timesOut) return hangUntilAborted(options.signal);
    return toResult(row);
  }

  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    const row = await this.findRow(idempotencyKey);
    return row ? toResult(row) : null;
  }

  parseConfirmation(type: string, body: unknown): ChargeConfirmation | null {
    if (type !== 'charge.succeeded' && type !== 'charge.failed') return null;
    const { data } = LocalWebhookBody.parse(body);
    return {
      idempotencyKey: data.idempotency_key,
      amount: data.amount,
      result:
        type === 'charge.succeeded'
          ? { status: 'SUCCEEDED', chargeId: data.id }
          : { status: 'DECLINED', chargeId: data.id, reason: data.failure_reason ?? DECLINE_REASON },
    };
  }

  /** Settles a pending charge (declined for the test amount) and delivers its webhook; retried by BullMQ until accepted. */
  @ProcessesJob(SettleLocalCharge)
  async settle({ chargeId }: JobData<typeof SettleLocalCharge>): Promise<void> {
    const row = await this.rowById(chargeId);
    if (!row) return;
    if (row.status === 'PENDING') {
      const declined = toMinor(row.amount, row.currency) % 100n === DECLINED_ENDING;
      await this.dataSource.query(`UPDATE provider_charges SET status = $2, decline_reason = $3, settled_at = now() WHERE id = $1 AND status = 'PENDING'`, [
        chargeId,
        declined ? 'DECLINED' : 'SUCCEEDED',
        declined ? DECLINE_REASON : null,
      ]);
    }
    const final = (await this.rowById(chargeId)) as ChargeRow;
    if (final.webhook_lost) {
      this.log.info({ chargeId }, 'local provider: webhook of a timed-out charge not sent (test amount ending in 31)');
      return;
    }
    await this.deliver(final);
  }

  private async deliver(row: ChargeRow): Promise<void> {
    const type = row.status === 'SUCCEEDED' ? 'charge.succeeded' : 'charge.failed';
    const body = JSON.stringify({
      type,
      data: {
        id: row.id,
        idempotency_key: row.idempotency_key,
        reference: row.reference,
        amount: { amount: row.amount, currency: row.currency },
        failure_reason: row.decline_reason,
      },
    });
    // One id per event, kept across retries of its delivery: the receiver deduplicates on it.
    const webhookId = `msg_${row.id}_${row.status.toLowerCase()}`;
    const now = new Date();
    const response = await fetch(this.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': this.signer.sign(webhookId, now, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    // Anything but 2xx is retried (BullMQ backoff), as a real provider does.
    if (!response.ok) throw new Error(`webhook ${webhookId} answered ${response.status}`);
  }

  private webhookUrl(): string {
    if (this.config.LOCAL_PROVIDER_WEBHOOK_URL) return this.config.LOCAL_PROVIDER_WEBHOOK_URL;
    const address = this.http.httpAdapter.getHttpServer().address() as AddressInfo | null;
    if (!address) throw new Error('payments is not listening yet');
    return `http://127.0.0.1:${address.port}${WEBHOOK_PATH}`;
  }

  private async findRow(idempotencyKey: string): Promise<ChargeRow | null> {
    const rows: ChargeRow[] = await this.dataSource.query(`SELECT ${CHARGE_COLUMNS} FROM provider_charges WHERE idempotency_key = $1`, [idempotencyKey]);
    return rows[0] ?? null;
  }

  private async rowById(id: string): Promise<ChargeRow | null> {
    const rows: ChargeRow[] = await this.dataSource.query(`SELECT ${CHARGE_COLUMNS} FROM provider_charges WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }
}

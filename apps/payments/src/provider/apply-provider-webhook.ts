import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertSystem, inUseCaseTransaction, parseCommand, ROOT_LOGGER, toMinor, type UseCase, type UseCaseContext } from '@talent/platform';
import { PaymentAttemptRecord } from '../invoices/invoice.entity';
import { PaymentOutcomes } from '../invoices/payment-outcomes';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider';

export type WebhookOutcome = 'applied' | 'replayed' | 'ignored' | 'unknown_charge' | 'amount_mismatch';

/** The provider key of an attempt (see providerKey): `invoice:<invoiceId>:<client's key>`. */
const PROVIDER_KEY = /^invoice:([0-9a-f-]{36}):([A-Za-z0-9_-]{8,100})$/;

/** A webhook whose signature was verified (ProviderWebhooksController): its body is parsed by the provider adapter. */
const ApplyProviderWebhookCommand = z.object({ webhookId: z.string().min(1), type: z.string(), body: z.unknown() });

/**
 * Use case (the system's, on the provider's verified webhook): records the charge outcome it
 * confirms. Its inbox (`provider_webhooks`, by webhook-id) and the outcome are written in one
 * transaction: a replayed or redelivered webhook changes nothing. A body that does not match
 * its type throws the adapter's ZodError (the controller answers 400).
 */
@Injectable()
export class ApplyProviderWebhook implements UseCase<z.input<typeof ApplyProviderWebhookCommand>, WebhookOutcome> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outcomes: PaymentOutcomes,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'provider-webhooks' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof ApplyProviderWebhookCommand>): Promise<WebhookOutcome> {
    assertSystem(ctx, 'ApplyProviderWebhook');
    const { webhookId, type, body } = parseCommand(ApplyProviderWebhookCommand, input);
    const confirmation = this.provider.parseConfirmation(type, body);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const chargeId = confirmation?.result.chargeId ?? null;
      const first: unknown[] = await tx.query(
        `INSERT INTO provider_webhooks (webhook_id, type, charge_id, outcome) VALUES ($1, $2, $3, 'applied')
         ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id`,
        [webhookId, type, chargeId],
      );
      if (first.length === 0) return 'replayed';
      const outcome = await this.outcomeOf(tx, confirmation, ctx.traceparent);
      if (outcome !== 'applied') await tx.query(`UPDATE provider_webhooks SET outcome = $2 WHERE webhook_id = $1`, [webhookId, outcome]);
      return outcome;
    });
  }

  private async outcomeOf(tx: EntityManager, confirmation: ReturnType<PaymentProvider['parseConfirmation']>, traceparent?: string): Promise<WebhookOutcome> {
    if (!confirmation) return 'ignored';
    const key = PROVIDER_KEY.exec(confirmation.idempotencyKey);
    const attempt = key ? await tx.getRepository(PaymentAttemptRecord).findOneBy({ invoiceId: key[1], idempotencyKey: key[2] }) : null;
    if (!attempt) {
      this.log.warn({ chargeId: confirmation.result.chargeId }, 'webhook about a charge payments did not make: ignored');
      return 'unknown_charge';
    }
    // The provider confirms what was asked for, or something is badly wrong: never mark paid on a different amount.
    const sameAmount =
      confirmation.amount.currency === attempt.currency && toMinor(confirmation.amount.amount, attempt.currency) === toMinor(attempt.amount, attempt.currency);
    if (!sameAmount) {
      this.log.error({ chargeId: confirmation.result.chargeId, attemptId: attempt.id }, 'webhook amount differs from the attempt: not applied');
      return 'amount_mismatch';
    }
    await this.outcomes.record(tx, attempt.id, confirmation.result, traceparent);
    return 'applied';
  }
}

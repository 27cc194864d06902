import { Controller, Headers, HttpCode, Inject, Post, Req, UnauthorizedException, BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { APP_CONFIG, ROOT_LOGGER, systemContext } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { WEBHOOK_PATH } from './local-payment-provider';
import { ApplyProviderWebhook } from './apply-provider-webhook';

/**
 * The payment provider's webhook endpoint, signed the Standard Webhooks way: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` = v1,base64(HMAC-SHA256(secret, id.timestamp.body)),
 * verified by the `standardwebhooks` package over the exact bytes received, with its 5-minute
 * tolerance. A bad signature or a stale timestamp is refused (401) and logged; a replay (same
 * webhook-id) is acknowledged and ignored. Not behind the gateway: the provider calls it directly.
 */
@Controller()
export class ProviderWebhooksController {
  private readonly verifier: Webhook;
  private readonly log: Logger;

  constructor(
    private readonly applyWebhook: ApplyProviderWebhook,
    @Inject(APP_CONFIG) config: PaymentsConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.verifier = new Webhook(config.PAYMENT_WEBHOOK_SECRET);
    this.log = logger.child({ component: 'provider-webhooks' });
  }

  @Post(WEBHOOK_PATH)
  @HttpCode(200)
  async receive(@Req() req: Request & { rawBody?: Buffer }, @Headers() headers: Record<string, string | undefined>): Promise<{ outcome: string }> {
    const webhookId = headers['webhook-id'];
    let body: { type?: unknown };
    try {
      body = this.verifier.verify(req.rawBody ?? Buffer.alloc(0), {
        'webhook-id': webhookId ?? '',
        'webhook-timestamp': headers['webhook-timestamp'] ?? '',
        'webhook-signature': headers['webhook-signature'] ?? '',
      }) as { type?: unknown };
    } catch (error) {
      const reason = error instanceof WebhookVerificationError ? error.message : 'unreadable body';
      // Who tried and why, never the body or the signature.
      this.log.warn({ webhookId: webhookId?.slice(0, 100), reason, ip: req.ip }, 'provider webhook refused');
      throw new UnauthorizedException(`webhook refused: ${reason}`);
    }
    if (typeof body?.type !== 'string' || !webhookId) throw new BadRequestException('webhook without a type');
    try {
      const outcome = await this.applyWebhook.execute(systemContext({ traceparent: req.headers.traceparent as string | undefined }), {
        webhookId,
        type: body.type,
        body,
      });
      this.log.info({ webhookId, type: body.type, outcome }, 'provider webhook received');
      return { outcome };
    } catch (error) {
      if ((error as Error)?.name === 'ZodError') throw new BadRequestException('webhook body does not match its type');
      throw error;
    }
  }
}

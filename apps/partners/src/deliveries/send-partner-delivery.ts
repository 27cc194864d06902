import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  assertSystem,
  APP_CONFIG,
  METRICS,
  parseCommand,
  ProcessesJob,
  ROOT_LOGGER,
  systemContext,
  type JobData,
  type Metrics,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import type { PartnersConfig } from '../config';
import { SigningSecrets } from '../shared/signing-secrets';
import { DeliverToPartner } from './delivery.jobs';
import { sendWebhook } from './webhook-sender';

interface DeliveryRow {
  id: string;
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  node_id: string;
  node_status: 'ACTIVE' | 'DISABLED';
  webhook_url: string;
  signing_secret: string;
  previous_signing_secret: string | null;
  previous_secret_expires_at: Date | null;
  event_id: string;
  type: string;
  occurred_at: Date;
  payload: unknown;
}

/** Thrown to let BullMQ retry a failed attempt with backoff; the row already holds the error. */
class DeliveryAttemptFailed extends Error {}

/**
 * Use case (the system's, run by the DeliverToPartner job): deliver one event to one node. A 2xx answer makes it DELIVERED; anything else
 * is recorded on the row (attempts, last error, status code) and retried with exponential
 * backoff, until PARTNER_DELIVERY_MAX_ATTEMPTS: then it is DEAD (dead-lettered), visible in
 * `partnerDeliveries` and replayable. A disabled node's deliveries die without being sent.
 * It runs outside any transaction (`ctx.tx` is not joined): no transaction stays open across
 * the HTTP call; each outcome is one conditional UPDATE.
 */
@Injectable()
export class SendPartnerDelivery implements UseCase<JobData<typeof DeliverToPartner>, void> {
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SigningSecrets,
    @Inject(APP_CONFIG) private readonly config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.outcomes = new Counter({
      name: 'partner_webhook_attempts_total',
      help: 'Partner webhook delivery attempts by outcome (delivered, retried, dead)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  @ProcessesJob(DeliverToPartner)
  async onJob(data: JobData<typeof DeliverToPartner>): Promise<void> {
    await this.execute(systemContext(), data);
  }

  async execute(ctx: UseCaseContext, input: JobData<typeof DeliverToPartner>): Promise<void> {
    assertSystem(ctx, 'SendPartnerDelivery');
    const { deliveryId } = parseCommand(DeliverToPartner.schema, input);
    const [row]: DeliveryRow[] = await this.dataSource.query(
      `SELECT d.id, d.status, d.attempts, n.id AS node_id, n.status AS node_status, n.webhook_url, n.signing_secret,
              n.previous_signing_secret, n.previous_secret_expires_at, e.id AS event_id, e.type, e.occurred_at, e.payload
         FROM partner_deliveries d JOIN partner_nodes n ON n.id = d.node_id JOIN public_events e ON e.id = d.event_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || row.status !== 'PENDING') return;
    if (row.node_status !== 'ACTIVE') {
      await this.record(row.id, 'DEAD', row.attempts, { error: 'partner node disabled', statusCode: null });
      this.outcomes.inc({ outcome: 'dead' });
      return;
    }
    const outcome = await sendWebhook(
      row.webhook_url,
      this.signingSecrets(row),
      { id: row.event_id, type: row.type, occurredAt: row.occurred_at, data: row.payload },
      {
        timeoutMs: this.config.PARTNER_DELIVERY_TIMEOUT_MS,
        allowPrivate: this.config.PARTNER_WEBHOOK_ALLOW_PRIVATE,
      },
    );
    const attempts = row.attempts + 1;
    if (outcome.ok) {
      await this.record(row.id, 'DELIVERED', attempts, { error: null, statusCode: outcome.statusCode });
      this.outcomes.inc({ outcome: 'delivered' });
      return;
    }
    const dead = attempts >= this.config.PARTNER_DELIVERY_MAX_ATTEMPTS;
    await this.record(row.id, dead ? 'DEAD' : 'PENDING', attempts, outcome);
    this.outcomes.inc({ outcome: dead ? 'dead' : 'retried' });
    const context = { deliveryId: row.id, nodeId: row.node_id, eventId: row.event_id, attempts, error: outcome.error };
    if (dead) {
      this.log.warn(context, 'partner delivery dead-lettered after its last attempt');
      return;
    }
    this.log.info(context, 'partner delivery failed; retrying with backoff');
    throw new DeliveryAttemptFailed(`delivery ${row.id} failed: ${outcome.error}`);
  }

  private signingSecrets(row: DeliveryRow): string[] {
    const secrets = [this.secrets.open(row.node_id, row.signing_secret)];
    if (row.previous_signing_secret && row.previous_secret_expires_at && row.previous_secret_expires_at > new Date()) {
      secrets.push(this.secrets.open(row.node_id, row.previous_signing_secret));
    }
    return secrets;
  }

  private async record(
    id: string,
    status: DeliveryRow['status'],
    attempts: number,
    outcome: { error: string | null; statusCode: number | null },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE partner_deliveries
          SET status = $2, attempts = $3, last_error = $4, last_status_code = $5, last_attempt_at = now(),
              delivered_at = CASE WHEN $2 = 'DELIVERED' THEN now() END, dead_at = CASE WHEN $2 = 'DEAD' THEN now() END
        WHERE id = $1 AND status = 'PENDING'`,
      [id, status, attempts, outcome.error, outcome.statusCode],
    );
  }
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { afterCommit, APP_CONFIG, JobQueue, loggableError, ProcessesJob, ROOT_LOGGER } from '@talent/platform';
import type { PartnersConfig } from '../config';
import { DeliverToPartner, PurgePublicEvents, SweepPartnerDeliveries } from './delivery.jobs';

/** A sweep leaves alone deliveries younger than this: their job is normally just being queued. */
const SWEEP_GRACE_SECONDS = 30;

/**
 * Puts deliveries on the BullMQ queue: right after the transaction that created them commits,
 * one job per delivery under a stable job id (queueing twice is a no-op), retried with
 * exponential backoff. The database stays the truth: a sweep queues what a crash between
 * commit and queueing lost.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: PartnersConfig,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.repeat('partner-deliveries-sweep', SweepPartnerDeliveries, {}, { every: this.config.PARTNER_DELIVERY_SWEEP_INTERVAL_MS });
    await this.jobs.repeat('partner-events-purge', PurgePublicEvents, {}, { every: 24 * 3_600_000 });
  }

  /** Queues these deliveries once `tx` commits. */
  scheduleAfterCommit(tx: EntityManager, deliveryIds: readonly string[]): void {
    if (deliveryIds.length === 0) return;
    afterCommit(tx, () =>
      this.enqueue(deliveryIds).catch((err) =>
        this.log.warn({ err: loggableError(err), count: deliveryIds.length }, 'partner deliveries not queued yet; the sweep will'),
      ),
    );
  }

  async enqueue(deliveryIds: readonly string[]): Promise<void> {
    for (const deliveryId of deliveryIds) {
      await this.jobs.add(
        DeliverToPartner,
        { deliveryId },
        {
          jobId: `deliver-${deliveryId}`,
          attempts: this.config.PARTNER_DELIVERY_MAX_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.PARTNER_DELIVERY_BACKOFF_MS },
        },
      );
    }
  }

  @ProcessesJob(SweepPartnerDeliveries)
  async sweep(): Promise<void> {
    // Out of attempts but still PENDING: the worker died on the last one.
    await this.dataSource.query(
      `UPDATE partner_deliveries SET status = 'DEAD', dead_at = now(), last_error = COALESCE(last_error, 'attempts exhausted')
        WHERE status = 'PENDING' AND attempts >= $1`,
      [this.config.PARTNER_DELIVERY_MAX_ATTEMPTS],
    );
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM partner_deliveries WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 1000`,
      [SWEEP_GRACE_SECONDS],
    );
    await this.enqueue(rows.map((r) => r.id));
  }

  @ProcessesJob(PurgePublicEvents)
  async purge(): Promise<void> {
    const [, count] = await this.dataSource.query(`DELETE FROM public_events WHERE received_at < now() - make_interval(days => $1)`, [
      this.config.PARTNER_EVENT_RETENTION_DAYS,
    ]);
    if (count) this.log.info({ count }, 'public events past retention purged');
  }
}
